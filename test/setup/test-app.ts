import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { createHttpApp, type HttpAppOptions } from '../../src/app/create-http-app.js';
import { NetworkIdentityService } from '../../src/common/network/network-identity.service.js';
import { testEnv } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * An app is booted once its background start-up work is done: the IP metadata dataset is parsed in
 * the background after init, and on a busy machine that parse competes with the first requests for
 * seconds. Waiting here keeps that cost in the (generously bounded) boot hook.
 */
async function settled(app: NestFastifyApplication): Promise<void> {
  await app.get(NetworkIdentityService, { strict: false }).ready();
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...testEnv(), ...overrides });
}

/** The full API (real Fastify, pipes, filters, guards) on the test database and Redis. */
export async function createTestApp(overrides: Record<string, string> = {}, options: HttpAppOptions = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await createHttpApp(config, createRootLogger(config.log.level), options);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await settled(app);
  return { app, config, close: () => app.close() };
}

/** Same, listening on a loopback port for tests that need a real socket (gzip, limits, clients). */
export async function listenTestApp(overrides: Record<string, string> = {}, options: HttpAppOptions = {}): Promise<TestApp & { url: string }> {
  const config = testConfig(overrides);
  const app = await createHttpApp(config, createRootLogger(config.log.level), options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  await settled(app);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, config, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
