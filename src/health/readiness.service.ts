import { Injectable } from '@nestjs/common';
import { withTimeout } from '../common/util/timeout.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { DatabaseHealthRepository } from './database-health.repository.js';
import { type ReadinessCheck, ReadinessChecks } from './readiness-checks.js';

export type CheckState = 'up' | 'down';
export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: CheckState; error?: string }>;
}

@Injectable()
export class ReadinessService {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly redis: RedisService,
    private readonly queues: QueueService,
    private readonly extra: ReadinessChecks,
  ) {}

  async report(): Promise<ReadinessReport> {
    const checks: Array<[string, ReadinessCheck]> = [
      ['postgres', () => this.database.ping(2_000)],
      ['redis', () => this.redis.ping(2_000)],
      ['queues', () => this.pingQueues()],
      ...this.extra.entries(),
    ];
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await check();
          return [name, { status: 'up' as const }] as const;
        } catch (error) {
          return [name, { status: 'down' as const, error: (error as Error).message }] as const;
        }
      }),
    );
    const report: ReadinessReport = { status: 'ready', checks: {} };
    for (const [name, result] of results) {
      report.checks[name] = result;
      if (result.status === 'down') report.status = 'not_ready';
    }
    return report;
  }

  private async pingQueues(): Promise<void> {
    await withTimeout(
      Promise.all(this.queues.allQueues().map((q) => q.getJobCounts('waiting'))),
      2_000,
      'queue connection',
    );
  }
}
