import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { Clock } from '../../infra/clock/clock.js';
import { MetricsService } from '../../infra/metrics/metrics.service.js';
import { OnJob, type JobOutcome } from '../../infra/queue/on-job.decorator.js';
import { JobName } from '../../infra/queue/queue.constants.js';
import { DELISTING_EXPIRY, EXPIRED_UNREVIEWED_JUSTIFICATION, delistingExpiryCutoffs } from './delisting-expiry-policy.js';
import { DelistingRepository } from './delisting.repository.js';

export interface DelistingExpiryReport {
  deletedUnproven: number;
  escalated: string[];
  expired: string[];
}

/** Scrapes read the counts at most this often. */
const REFRESH_MS = 60_000;

/**
 * Keeps delisting requests bounded (delisting-expiry-policy.ts): the hourly `delisting-expiry` job
 * deletes unproven requests, escalates unreviewed ones and expires those nobody reviewed. Gauges:
 * `quorum_delisting_unreviewed{state}` (waiting, escalated) and
 * `quorum_delisting_oldest_unreviewed_age_seconds`; alert on any escalated request.
 */
@Injectable()
export class DelistingExpiryService implements OnModuleInit {
  private readonly logger = new Logger('DelistingExpiry');
  private refreshedAt = 0;

  constructor(
    private readonly repository: DelistingRepository,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const unreviewed = this.metrics.gauge('quorum_delisting_unreviewed', 'Delisting requests waiting for review, proven or reasoned (escalated: waiting longer than 72 h)', ['state']);
    const oldest = this.metrics.gauge('quorum_delisting_oldest_unreviewed_age_seconds', 'Age of the oldest delisting request waiting for review', []);
    const limit = this.metrics.gauge('quorum_delisting_unreviewed_limit_seconds', 'When an unreviewed delisting request expires', []);
    limit.set(DELISTING_EXPIRY.expireMs / 1000);
    this.metrics.onCollect(async () => {
      const nowMs = this.clock.nowMs();
      if (nowMs - this.refreshedAt < REFRESH_MS) return;
      this.refreshedAt = nowMs;
      const stats = await this.repository.unreviewedStats();
      unreviewed.set({ state: 'waiting' }, stats.waiting);
      unreviewed.set({ state: 'escalated' }, stats.escalated);
      oldest.set(stats.oldestWaitingSince ? Math.max(0, Math.round((nowMs - stats.oldestWaitingSince.getTime()) / 1000)) : 0);
    });
  }

  @OnJob(JobName.DelistingExpiry)
  async handle(): Promise<JobOutcome> {
    const report = await this.run();
    return report.deletedUnproven + report.escalated.length + report.expired.length > 0 ? 'done' : 'skipped';
  }

  /** Idempotent: each step selects by cutoff and state, so a second run at the same time changes nothing. */
  async run(now: Date = this.clock.now()): Promise<DelistingExpiryReport> {
    const cut = delistingExpiryCutoffs(now);
    const deletedUnproven = await this.repository.deleteUnproven(cut.unproven);
    const expired = await this.repository.expireUnreviewed(cut.expire, now, EXPIRED_UNREVIEWED_JUSTIFICATION);
    const escalated = await this.repository.escalate(cut.escalate, now);
    for (const id of escalated) await this.audit.record('rule', 'delisting.escalated', `delisting:${id}`, { after_hours: DELISTING_EXPIRY.escalateMs / 3_600_000 });
    for (const id of expired) await this.audit.record('rule', 'delisting.expired_unreviewed', `delisting:${id}`, { after_days: DELISTING_EXPIRY.expireMs / 86_400_000 });
    if (escalated.length > 0) this.logger.warn(`${escalated.length} delisting request(s) unreviewed for ${DELISTING_EXPIRY.escalateMs / 3_600_000} h: escalated`);
    if (deletedUnproven + expired.length > 0) this.logger.log({ deletedUnproven, expired: expired.length }, 'delisting requests expired');
    return { deletedUnproven, escalated, expired };
  }
}
