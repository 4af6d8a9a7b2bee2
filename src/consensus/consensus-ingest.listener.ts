import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { JOB_OPTIONS, JOB_QUEUE, JobName } from '../infra/queue/queue.constants.js';
import { type CommittedBatch, SignalsService } from '../signals/signals.service.js';
import { ConsensusRepository } from './consensus.repository.js';
import { resolveParams } from './scoring/params.js';

const NUDGE_BUCKET_MS = 2_000;
/** One deduplication id for every nudge (BullMQ deduplication, per queue). */
export const NUDGE_DEDUPLICATION_ID = 'score-tick-nudge';

/**
 * API side of consensus: makes sure every reporter has a trust row (by pseudonym), and nudges the
 * scoring queue after a committed batch (coalesced: at most one nudge waits, on top of the periodic
 * tick).
 */
@Injectable()
export class ConsensusIngestListener implements OnModuleInit {
  private readonly logger = new Logger('ConsensusIngest');
  private readonly known = new Map<string, string>();
  /** Trust priors of new reporters' rows: the configured ones (docs/consensus.md, item "priors"). */
  private readonly prior: { alpha: number; beta: number };

  constructor(
    private readonly signals: SignalsService,
    private readonly repository: ConsensusRepository,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const params = resolveParams(config.consensus.params);
    this.prior = { alpha: params.priorAlpha, beta: params.priorBeta };
  }

  onModuleInit(): void {
    this.signals.onCommitted((batch) => this.onBatch(batch));
  }

  private async onBatch(batch: CommittedBatch): Promise<void> {
    const { agent } = batch;
    const fingerprint = `${agent.asn}|${agent.networkPseudonym}|${agent.country}`;
    if (this.known.get(batch.reporter) !== fingerprint) {
      await this.repository.upsertReporter({
        pseudonym: batch.reporter,
        owner: batch.owner,
        kind: agent.kind === 'honeypot' ? 'honeypot' : 'community',
        asn: agent.asn,
        net: agent.networkPseudonym,
        country: agent.country,
        enrolledAt: agent.enrolledAt,
      }, this.prior);
      if (this.known.size > 100_000) this.known.clear();
      this.known.set(batch.reporter, fingerprint);
    }
    await this.nudge(this.clock.nowMs());
  }

  /**
   * Queues one scoring run just after the current 2 s bucket closes, so it scores every batch committed
   * during the bucket. Nudges are coalesced (one deduplication id for all of them): while a nudge is
   * delayed or waiting, further ones are dropped (it has not started, so it will read their signals
   * too); while one is running, the latest is kept and queued when it finishes. So at most one nudge
   * waits, whatever the ingestion rate and however long a run takes.
   */
  private async nudge(now: number): Promise<void> {
    const queue = this.queues.queue(JOB_QUEUE[JobName.ScoreTick]);
    await queue.add(JobName.ScoreTick, {}, nudgeJobOptions(now)).catch((error: Error) => {
      this.logger.warn(`scoring nudge not queued (the periodic tick will score): ${error.message}`);
    });
  }
}

/** The options of a nudge queued at `now`: runs just after its 2 s bucket closes, coalesced with the others. */
export function nudgeJobOptions(now: number): JobsOptions {
  const bucket = Math.floor(now / NUDGE_BUCKET_MS);
  const delay = (bucket + 1) * NUDGE_BUCKET_MS - now + 50;
  return { ...JOB_OPTIONS[JobName.ScoreTick], delay, deduplication: { id: NUDGE_DEDUPLICATION_ID, keepLastIfActive: true } };
}
