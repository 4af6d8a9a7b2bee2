import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfigFromProcess } from '../config/app-config.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { applyMigrations } from '../infra/prisma/migrate/migrate.js';
import { migrateQueueTables } from '../infra/queue/postgres-queue-backend.js';
import { startApi } from '../cli/run-api.js';
import { startWorker } from '../cli/run-worker.js';
import { installShutdown } from '../cli/shutdown.js';
import type { HttpClient } from './demo-agents.js';
import { type DemoCredentials, establishDemoReporters, readDemoAgents, seedDemo } from './demo-seed.js';
import { startDemoSimulation } from './demo-simulation.js';
import { EMBEDDED_LIMITATIONS, startEmbeddedServices } from './embedded-services.js';

export interface EmbeddedOptions {
  dataDir: string;
  demo: boolean;
}

export function parseEmbeddedArgs(args: readonly string[], cwd = process.cwd()): EmbeddedOptions {
  const at = args.indexOf('--data-dir');
  const dir = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !dir) throw new Error('--data-dir needs a folder');
  return { dataDir: resolve(cwd, dir ?? join('.data', 'embedded')), demo: args.includes('--demo') };
}

/**
 * `quorum all --embedded [--demo] [--data-dir d]`: API and worker in one process on PGlite with the
 * shared state in process (no Redis), migrations applied, a demo seeded on first start.
 */
export async function runEmbedded(args: readonly string[]): Promise<void> {
  const options = parseEmbeddedArgs(args);
  const services = await startEmbeddedServices(options.dataDir);
  let config: AppConfig;
  try {
    const base = loadConfigFromProcess({ DATABASE_URL: services.databaseUrl, REDIS_CLUSTER_NODES: '' });
    config = { ...base, redis: { ...base.redis, backend: 'memory', clusterNodes: [] }, queue: { backend: 'postgres' } };
  } catch (error) {
    await services.close();
    throw error;
  }
  const logger = createRootLogger(config.log.level);
  for (const line of EMBEDDED_LIMITATIONS) logger.warn(`embedded mode: ${line}`);
  logger.info({ dataDir: options.dataDir }, 'embedded mode: PGlite started, shared state in process');
  await applyMigrations(services.databaseUrl, { log: (msg) => logger.info(`migrate: ${msg}`) });
  logger.info({ version: await migrateQueueTables(services.databaseUrl) }, 'embedded mode: queue tables ready');

  const api = await startApi(config, logger);
  const http = injectClient(api);
  const credentials = await seedDemo(api, http, options.dataDir);
  const agents = await readDemoAgents(options.dataDir);
  // Demo reporters log in from wherever the demo runs (often loopback, one network): give them back
  // their aged profile in distinct ASNs before the worker rebuilds the consensus engine.
  if (agents) await establishDemoReporters(api, agents);
  const worker = await startWorker(config, logger);
  printBanner(config, api, credentials, options);

  const parts: Array<{ close(): Promise<void> }> = [api, worker];
  if (options.demo && agents) parts.unshift(startDemoSimulation(api, http, agents, logger.child({ component: 'demo' })));
  parts.push(services);
  installShutdown(parts, logger, config.http.shutdownTimeoutMs);
  logger.info('embedded mode: ready');
}

function injectClient(api: NestFastifyApplication): HttpClient {
  return async (call) => {
    const res = await api.inject({
      method: call.method,
      url: call.url,
      headers: call.headers,
      payload: call.payload,
      remoteAddress: call.remoteAddress,
    });
    return { statusCode: res.statusCode, body: res.body };
  };
}

function baseUrl(config: AppConfig, api: NestFastifyApplication): string {
  const address = api.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  return config.http.publicUrl ?? `http://127.0.0.1:${port}`;
}

function printBanner(config: AppConfig, api: NestFastifyApplication, credentials: DemoCredentials | null, options: EmbeddedOptions): void {
  const base = baseUrl(config, api);
  const lines = [
    '',
    'Quorum is running in embedded mode (no PostgreSQL or Redis needed).',
    `  API      ${base}`,
    `  Docs     ${base}/docs`,
    `  Admin    ${base}/admin`,
    `  Portal   ${base}/app (customers: sign up, keys, plans; mail goes to the outbox linked there)`,
    `  Check    ${base}/ip/<address> (IP holders: why listed, delisting, privacy requests)`,
    `  Ready    ${base}/readyz`,
    `  Data     ${options.dataDir}`,
  ];
  if (credentials) {
    lines.push(
      '',
      'Demo data created. These credentials are shown once and not stored in clear:',
      `  operator  ${credentials.operatorEmail}  password ${credentials.operatorPassword}`,
      `  API key   ${credentials.apiKey}   (x-api-key header; try GET ${base}/v1/ip/185.220.101.10)`,
      `  enroll    ${credentials.enrollKey}   (agents of organisation ${credentials.organizationId})`,
      `  agents    ${credentials.agents.map((a) => a.name).join(', ')}`,
    );
  }
  if (!options.demo) lines.push('', 'Run `quorum demo` (or add --demo) to watch demo agents report an ongoing attack.');
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
