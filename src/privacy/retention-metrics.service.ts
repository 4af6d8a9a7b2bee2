import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { retentionLimits } from './retention-policy.js';
import { DataLifecycles } from './data-lifecycles.js';

/** Scrapes read the oldest rows at most this often (the queries touch every retained table). */
const REFRESH_MS = 60_000;

/**
 * `quorum_retention_oldest_row_age_seconds{table}` and `quorum_retention_limit_seconds{table}`:
 * alert when the age exceeds 1.1 × the limit (the retention job is not running).
 */
@Injectable()
export class RetentionMetricsService implements OnModuleInit {
  private refreshedAt = 0;

  constructor(
    private readonly metrics: MetricsService,
    private readonly lifecycles: DataLifecycles,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const age = this.metrics.gauge('quorum_retention_oldest_row_age_seconds', 'Age of the oldest row per retained table', ['table']);
    const limit = this.metrics.gauge('quorum_retention_limit_seconds', 'Configured retention period per table', ['table']);
    for (const [table, seconds] of Object.entries(retentionLimits(this.config.privacy.retention))) limit.set({ table }, seconds);
    this.metrics.onCollect(async () => {
      const nowMs = this.clock.nowMs();
      if (nowMs - this.refreshedAt < REFRESH_MS) return;
      this.refreshedAt = nowMs;
      const rows: Record<string, Date | null> = {};
      for (const lifecycle of this.lifecycles.all()) Object.assign(rows, await lifecycle.oldestRows());
      for (const [table, oldest] of Object.entries(rows)) {
        age.set({ table }, oldest ? Math.max(0, Math.round((nowMs - new Date(oldest).getTime()) / 1000)) : 0);
      }
    });
  }
}
