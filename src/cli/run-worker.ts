import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { PinoNestLogger } from '../common/logging/pino-logger.js';
import { WorkerModule } from '../worker/worker.module.js';
import { routeProcessOutputToLogger } from '../common/logging/process-output.js';

export async function startWorker(config: AppConfig, logger: Logger): Promise<INestApplicationContext> {
  routeProcessOutputToLogger(logger);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'worker' })),
    abortOnError: false,
  });
  await app.init();
  logger.info('Quorum worker started');
  return app;
}
