import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../infra/clock/clock.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { type CommittedBatch, SignalsService } from '../signals/signals.service.js';
import { ConsensusRepository } from './consensus.repository.js';

const NUDGE_BUCKET_MS = 2_000;

/**
 * API side of consensus: makes sure every reporter has a trust row (by pseudonym), and nudges the
 * scoring queue after a committed batch (one job per 2 s bucket, on top of the periodic tick).
 */
@Injectable()
export class ConsensusIngestListener implements OnModuleInit {
  private readonly logger = new Logger('ConsensusIngest');
  private readonly known = new Map<string, string>();
  private lastBucket = -1;

  constructor(
    private readonly signals: SignalsService,
    private readonly repository: ConsensusRepository,
    private readonly queues: QueueService,
    private readonly clock: Clock,
  ) {}

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
      });
      if (this.known.size > 100_000) this.known.clear();
      this.known.set(batch.reporter, fingerprint);
    }
    const now = this.clock.nowMs();
    const bucket = Math.floor(now / NUDGE_BUCKET_MS);
    if (bucket === this.lastBucket) return;
    this.lastBucket = bucket;
    // Runs just after the bucket closes, so it scores every batch committed during the bucket.
    const delay = (bucket + 1) * NUDGE_BUCKET_MS - now + 50;
    await this.queues.enqueue(JobName.ScoreTick, {}, jobId(JobName.ScoreTick, 'nudge', bucket), { delay }).catch((error: Error) => {
      this.logger.warn(`scoring nudge not queued (the periodic tick will score): ${error.message}`);
    });
  }
}
