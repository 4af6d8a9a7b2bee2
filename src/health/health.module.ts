import { Module } from '@nestjs/common';
import { DatabaseHealthRepository } from './database-health.repository.js';
import { HealthController } from './health.controller.js';
import { QueueMetricsCollector } from './queue-metrics.collector.js';
import { ReadinessService } from './readiness.service.js';

@Module({ controllers: [HealthController], providers: [ReadinessService, QueueMetricsCollector, DatabaseHealthRepository], exports: [ReadinessService] })
export class HealthModule {}
