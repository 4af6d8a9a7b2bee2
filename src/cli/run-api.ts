import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { createHttpApp } from '../app/create-http-app.js';
import { routeProcessOutputToLogger } from '../common/logging/process-output.js';

export async function startApi(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  routeProcessOutputToLogger(logger);
  const app = await createHttpApp(config, logger);
  await app.listen({ host: config.http.host, port: config.http.port });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const base = config.http.publicUrl ?? `http://127.0.0.1:${port}`;
  logger.info({ port }, `Quorum API listening: ${base}  (docs: ${base}/docs, health: ${base}/readyz)`);
  return app;
}
