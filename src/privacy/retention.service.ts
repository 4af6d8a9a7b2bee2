import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { DataLifecycles } from './data-lifecycles.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import { retentionCutoffs } from './retention-policy.js';

export interface RetentionReport {
  droppedPartitions: string[];
  deleted: Record<string, number>;
}

/** Lifecycles report a dropped signal day partition as `partition:<name>`. */
const PARTITION = 'partition:';

/**
 * The daily retention job (GDPR R1-R4, R6, R10, R11, billing usage): every domain applies its own
 * periods to its own tables (`applyRetention`, docs/privacy.md "Erasure contract"). Each step deletes
 * by a cutoff, so running it twice, or again after a crash half-way, removes nothing more than once.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly lifecycles: DataLifecycles,
    private readonly erasures: OrganizationErasureService,
    private readonly ledger: ErasureLedgerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.PrivacyRetention)
  async handleRetention(): Promise<JobOutcome> {
    const report = await this.run();
    const removed = report.droppedPartitions.length + Object.values(report.deleted).reduce((a, b) => a + b, 0);
    return removed > 0 ? 'done' : 'skipped';
  }

  async run(now: Date = this.clock.now()): Promise<RetentionReport> {
    const cut = retentionCutoffs(now, this.config.privacy.retention);
    const dropped: string[] = [];
    const deleted: Record<string, number> = {};
    for (const lifecycle of this.lifecycles.all()) {
      for (const [name, n] of Object.entries(await lifecycle.applyRetention(now, cut))) {
        if (name.startsWith(PARTITION)) dropped.push(name.slice(PARTITION.length));
        else deleted[name] = (deleted[name] ?? 0) + n;
      }
    }
    deleted.organization = await this.erasures.purgeLeftovers();
    // R13: with backups on, the backup job prunes the ledger by the oldest backup it keeps; with backups
    // off, no backup can be older than their retention period, so neither can a needed ledger entry.
    if (!this.config.privacy.backup.dir) deleted.erasure_ledger = await this.ledger.prune(new Date(now.getTime() - (this.config.privacy.backup.retentionDays + 1) * 86_400_000));
    this.logger.log({ dropped, deleted }, 'retention run');
    return { droppedPartitions: dropped, deleted };
  }
}
