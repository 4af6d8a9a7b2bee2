import { Injectable, type OnModuleInit } from '@nestjs/common';
import { withTimeout } from '../common/util/timeout.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { QueueService } from '../infra/queue/queue.service.js';

/** Fills the queue-depth gauge at scrape time (bounded: a down Redis must not hang /metrics). */
@Injectable()
export class QueueMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueService,
  ) {}

  onModuleInit(): void {
    this.metrics.onCollect(async () => {
      const depths = await withTimeout(this.queues.depths(), 1_000, 'queue depths');
      for (const [queue, counts] of Object.entries(depths)) {
        for (const [state, value] of Object.entries(counts)) this.metrics.queueDepth.set({ queue, state }, value);
      }
    });
  }
}
