import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { createHttpApp, type HttpAppOptions } from '../../src/app/create-http-app.js';
import { NetworkIdentityService } from '../../src/common/network/network-identity.service.js';
import { testEnv } from './test-env.js';
import { trackBoot } from '../support/leftovers.js';

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

/** Boots an app; a boot that fails part-way closes what it opened before rethrowing. */
async function boot(config: AppConfig, options: HttpAppOptions, start: (app: NestFastifyApplication) => Promise<unknown>): Promise<NestFastifyApplication> {
  const app = await createHttpApp(config, createRootLogger(config.log.level), options);
  try {
    await start(app);
    await settled(app);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** The full API (real Fastify, pipes, filters, guards) on the test database and Redis. */
export async function createTestApp(overrides: Record<string, string> = {}, options: HttpAppOptions = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await trackBoot(boot(config, options, async (booting) => {
    await booting.init();
    await booting.getHttpAdapter().getInstance().ready();
  }));
  return { app, config, close: () => app.close() };
}

/** Same, listening on a loopback port for tests that need a real socket (gzip, limits, clients). */
export async function listenTestApp(overrides: Record<string, string> = {}, options: HttpAppOptions = {}): Promise<TestApp & { url: string }> {
  const config = testConfig(overrides);
  const app = await trackBoot(boot(config, options, (booting) => booting.listen({ host: '127.0.0.1', port: 0 })));
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, config, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
