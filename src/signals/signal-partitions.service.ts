import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { partitionsAround } from './signal-partitions.js';
import { SignalPartitionsRepository } from './signal-partitions.repository.js';

export const PARTITIONS_AHEAD_DAYS = 7;

/** Keeps day partitions of `signal` created ahead of time (ingestion never meets a missing day). */
@Injectable()
export class SignalPartitionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SignalPartitions');

  constructor(
    private readonly repository: SignalPartitionsRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.ensure().catch((error: Error) => this.logger.warn(`cannot create signal partitions yet: ${error.message}`));
  }

  async ensure(): Promise<string[]> {
    const created = await this.repository.ensure(partitionsAround(this.clock.now(), 1, PARTITIONS_AHEAD_DAYS));
    if (created.length > 0) this.logger.log(`created signal partitions ${created.join(', ')}`);
    return created;
  }

  @OnJob(JobName.EnsureSignalPartitions)
  async handleEnsureJob(): Promise<JobOutcome> {
    const created = await this.ensure();
    return created.length > 0 ? 'done' : 'skipped';
  }
}
