import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { SignalsRepository } from './signals.repository.js';

/**
 * Keeps `signal_batch_nonce` small: a nonce only matters while its signed timestamp is inside the skew
 * window (an older replay is refused as stale), so rows past their expiry are deleted every minute.
 */
@Injectable()
export class SignalNonceSweeper {
  private readonly logger = new Logger('SignalNonceSweeper');

  constructor(
    private readonly repository: SignalsRepository,
    private readonly clock: Clock,
  ) {}

  @OnJob(JobName.SweepSignalNonces)
  async sweep(): Promise<JobOutcome> {
    const deleted = await this.repository.sweepNonces(this.clock.now());
    if (deleted > 0) this.logger.debug(`${deleted} expired batch nonces deleted`);
    return deleted > 0 ? 'done' : 'skipped';
  }
}
