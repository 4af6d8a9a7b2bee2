import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock.js';
import { UsageAccumulator } from './usage-accumulator.js';
import { type UsageTotal, UsageRepository } from './usage.repository.js';

/**
 * Usage events (answered lookups per key per hour) for billing and the dashboard: counted in memory on
 * the hot path, added to PostgreSQL by a periodic flush and at shutdown. A failed flush is retried by
 * the next one; a crash loses at most one flush interval of counts.
 */
@Injectable()
export class LookupUsageService {
  private readonly logger = new Logger('LookupUsage');
  private readonly counts = new UsageAccumulator();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly usage: UsageRepository,
    private readonly clock: Clock,
  ) {}

  record(organizationId: string, apiKeyId: string, lookups: number): void {
    this.counts.add(organizationId, apiKeyId, lookups, this.clock.nowMs());
  }

  flush(): Promise<void> {
    this.flushing ??= this.flushNow().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const rows = this.counts.drain();
    this.counts.prune();
    if (rows.length === 0) return;
    try {
      await this.usage.add(rows);
    } catch (error) {
      this.counts.restore(rows);
      this.logger.warn(`usage flush failed, kept for the next one: ${(error as Error).message}`);
    }
  }

  dailyForOrganization(organizationId: string, from: Date, to: Date): ReturnType<UsageRepository['dailyForOrganization']> {
    return this.usage.dailyForOrganization(organizationId, from, to);
  }

  forOrganization(organizationId: string, from: Date, to: Date): Promise<UsageTotal[]> {
    return this.usage.forOrganization(organizationId, from, to);
  }
}
