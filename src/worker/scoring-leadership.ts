import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ConsensusService } from '../consensus/consensus.service.js';
import { throttledErrorLog } from '../common/logging/throttled-error-log.js';
import { ScoringLeaderLock } from './scoring-leader-lock.repository.js';
import { ScoringProcessor } from './queue-processors.js';

/**
 * One worker scores at a time; the others stand by (docs/scaling.md, "Snapshots and fail-over"). The
 * scoring queue's processor starts stopped (`autorun: false`) in every worker; the worker holding
 * the leader lock runs it. A standby tries to take the lock every QUORUM_SCORING_LEADER_POLL_MS; the
 * leader checks it still holds it at the same pace and stops consuming scoring jobs when it does not.
 * The new leader's first run finds its engine missing or stale and restores the newest snapshot plus
 * the signals after it (src/consensus/snapshot). At graceful shutdown the leader finishes its run,
 * saves a snapshot and frees the lock, so a standby continues with no replay at all.
 *
 * Each run still takes the per-run scoring lock, so two workers that both believe they lead (a
 * leader cut off from PostgreSQL for a moment) never score at the same time, and a stale one rebuilds.
 * Embedded mode (one process, PGlite) leads at once.
 */
@Injectable()
export class ScoringLeadership implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScoringLeadership');
  private readonly logError = throttledErrorLog((message) => this.logger.warn(message), 'scoring leadership check failed');
  private leading = false;
  private running = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly lock: ScoringLeaderLock,
    private readonly processor: ScoringProcessor,
    private readonly consensus: ConsensusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  onApplicationBootstrap(): void {
    if (this.config.queue.backend === 'postgres') {
      this.promote();
      return;
    }
    void this.check();
    this.timer = setInterval(() => void this.check(), this.config.consensus.leaderPollMs);
    this.timer.unref();
  }

  /** One leadership check at a time (take the lock when standing by, verify it when leading). */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopping) return;
    try {
      if (this.leading) {
        if (!(await this.lock.held())) await this.demote('the leader lock was lost');
      } else if (await this.lock.tryAcquire()) {
        if (this.stopping) await this.lock.release();
        else this.promote();
      }
    } catch (error) {
      if (this.leading) await this.demote(`the leader lock cannot be checked (${(error as Error).message})`);
      else this.logError(error as Error);
    }
  }

  private promote(): void {
    this.leading = true;
    const worker = this.processor.worker;
    if (!this.running) {
      this.running = true;
      worker.run().catch((error: unknown) => this.logger.error(`scoring worker stopped: ${(error as Error).message}`));
    } else {
      worker.resume();
    }
    this.logger.log('scoring leadership taken: this worker scores');
  }

  private async demote(reason: string): Promise<void> {
    this.leading = false;
    if (this.running) await this.processor.worker.pause(true);
    await this.lock.release();
    this.logger.warn(`scoring leadership given up: ${reason}; standing by`);
  }

  /**
   * Graceful shutdown (before the queue workers and the database close): the active scoring run
   * finishes, the engine is saved, and the lock is freed for a standby.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    if (!this.leading) return;
    this.leading = false;
    if (this.running) await this.processor.worker.pause();
    try {
      if (await this.consensus.snapshotNow()) this.logger.log('consensus snapshot saved at shutdown');
    } catch (error) {
      this.logger.warn(`no consensus snapshot at shutdown: ${(error as Error).message}`);
    }
    await this.lock.release();
  }
}
