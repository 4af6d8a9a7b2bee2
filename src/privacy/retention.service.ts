import { Inject, Injectable, Logger } from '@nestjs/common';
import { BlocklistRepository } from '../blocklist/blocklist.repository.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { SignalPartitionsRepository } from '../signals/signal-partitions.repository.js';
import { NETWORK_DERIVED_DAYS, partitionsToDrop, retentionCutoffs } from './retention-policy.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import { RetentionRepository } from './retention.repository.js';

export interface RetentionReport {
  droppedPartitions: string[];
  deleted: Record<string, number>;
}

/**
 * The daily retention job (GDPR R1-R4, R10, R11, billing usage). Each step deletes by a cutoff, so
 * running it twice, or again after a crash half-way, removes nothing more than once and resumes.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly repository: RetentionRepository,
    private readonly partitions: SignalPartitionsRepository,
    private readonly blocklist: BlocklistRepository,
    private readonly erasures: OrganizationErasureService,
    private readonly ledger: ErasureLedgerService,
    private readonly network: NetworkIdentityService,
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
    const dropped = partitionsToDrop(await this.partitions.list(), cut.signal);
    await this.partitions.drop(dropped);
    const deleted: Record<string, number> = {};
    deleted.signal = await this.repository.deleteSignalsBefore(cut.signal);
    deleted.signal_uuid = await this.repository.deleteSignalUuidsBefore(cut.signalUuid);
    deleted.ip_score = await this.repository.deleteIpScoresBefore(cut.ipScore);
    deleted.listing_explanation = await this.repository.deleteExplanationsBefore(cut.explanation);
    deleted.blocklist_version = await this.pruneBlocklist(cut.blocklist);
    deleted.delisting_request = await this.repository.deleteDelistingsBefore(cut.delisting);
    deleted.audit_log = await this.repository.pruneAudit(cut.audit, now);
    deleted.usage_counter = await this.repository.deleteUsageBefore(cut.usage);
    deleted.privacy_request = await this.repository.deletePrivacyRequests(cut.privacyRequest, cut.pendingPrivacyRequest);
    deleted.ip_protection = await this.repository.deleteExpiredProtections(now);
    deleted.organization = await this.erasures.purgeLeftovers();
    // R6: derived network data 30 days; network keys rotated (a new one every 90 days, 30 days of overlap).
    const derived = await this.repository.clearNetworkDerivations(new Date(now.getTime() - NETWORK_DERIVED_DAYS * 86_400_000));
    deleted.agent_network = derived.agents;
    deleted.reporter_network = derived.reporters;
    deleted.network_key = (await this.network.rotateKeys(now)).destroyed;
    // R13: with backups on, the backup job prunes the ledger by the oldest backup it keeps; with backups
    // off, no backup can be older than their retention period, so neither can a needed ledger entry.
    if (!this.config.privacy.backup.dir) deleted.erasure_ledger = await this.ledger.prune(new Date(now.getTime() - (this.config.privacy.backup.retentionDays + 1) * 86_400_000));
    this.logger.log({ dropped, deleted }, 'retention run');
    return { droppedPartitions: dropped, deleted };
  }

  /**
   * R3: the blocklist keeps `QUORUM_BLOCKLIST_HISTORY_HOURS` of versions for deltas and prunes on each
   * publication; this enforces the retention bound even when nothing is published, using the same
   * delta-safe pruning (the oldest kept version is the first created after the cutoff, never the latest).
   */
  private async pruneBlocklist(cutoff: Date): Promise<number> {
    const before = await this.blocklist.oldestVersionId();
    const oldest = await this.blocklist.pruneHistory(cutoff);
    return before > 0 && oldest > before ? oldest - before : 0;
  }
}
