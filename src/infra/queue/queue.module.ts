import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { QueueName } from './queue.constants.js';
import { QueueService } from './queue.service.js';
import { postgresQueueRoot } from './postgres-queue-backend.js';
import { bullRedisRoot } from './redis-connection.js';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

/** Producers: every declared queue, injectable in any module. Processors live in the worker module. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.queue.backend === 'postgres'
          ? postgresQueueRoot(config.database.url)
          : bullRedisRoot(config.redis),
    }),
    ...queues,
  ],
  providers: [QueueService],
  exports: [QueueService, ...queues],
})
export class QueueModule {}
