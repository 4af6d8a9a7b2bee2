import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../../src/config/app-config.js';
import { startWorker } from '../../src/cli/run-worker.js';
import { trackBoot } from './leftovers.js';

/** The real worker process's module, in the test process; closed at the file's end if the test could not. */
export function startTestWorker(config: AppConfig, logger: Logger): Promise<INestApplicationContext> {
  return trackBoot(startWorker(config, logger));
}
