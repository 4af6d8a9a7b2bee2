import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { LoggingModule } from '../common/logging/logging.module.js';
import { NetworkModule } from '../common/network/network.module.js';
import { type ProcessRole, ProcessRoleModule } from '../common/process/process-role.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { ReadinessChecksModule } from '../health/readiness-checks.js';
import { ClockModule } from '../infra/clock/clock.module.js';
import { MetricsModule } from '../infra/metrics/metrics.module.js';
import { PrismaModule } from '../infra/prisma/prisma.module.js';
import { QueueModule } from '../infra/queue/queue.module.js';
import { RedisModule } from '../infra/redis/redis.module.js';

/** Infrastructure shared by the API and the worker; `role` says which this application context is. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, logger: Logger, role: ProcessRole): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        ProcessRoleModule.forRoot(role),
        ReadinessChecksModule,
        LoggingModule.forRoot(logger),
        DiscoveryModule,
        ClockModule,
        MetricsModule,
        PrismaModule,
        RedisModule,
        QueueModule,
        NetworkModule,
        RateLimitModule,
      ],
    };
  }
}
