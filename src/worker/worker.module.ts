import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { AuthModule } from '../common/auth/auth.module.js';
import { CoreModule } from '../app/core.module.js';
import { DOMAIN_MODULES } from '../app/domain-modules.js';
import { JobRegistry } from '../infra/queue/job-registry.js';
import { JobScheduler } from './job-scheduler.js';
import { QUEUE_PROCESSORS } from './queue-processors.js';
import { ScoringLeaderLock } from './scoring-leader-lock.repository.js';
import { ScoringLeadership } from './scoring-leadership.js';

/** The worker process: BullMQ processors only, no HTTP listener. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, logger, 'worker'), DiscoveryModule, AuthModule, ...DOMAIN_MODULES],
      providers: [JobRegistry, JobScheduler, ...QUEUE_PROCESSORS, ScoringLeaderLock, ScoringLeadership],
    };
  }
}
