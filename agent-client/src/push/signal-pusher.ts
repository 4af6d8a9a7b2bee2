import type { PushOutcome, QuorumApi } from '../http/quorum-api.js';
import type { SignalSpool } from '../spool/signal-spool.js';
import type { Logger } from '../util/logger.js';
import { backoffDelay, MAX_RETRY_AFTER_MS } from './backoff.js';

export interface PusherOptions {
  spool: SignalSpool;
  api: Pick<QuorumApi, 'pushSignals'>;
  batchSize: number;
  flushIntervalMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  gzip: boolean;
  logger: Logger;
  random?: () => number;
  now?: () => number;
}

export type PushStep = 'idle' | 'waiting' | 'sent' | 'backoff' | 'split' | 'dropped';

export interface PusherStats {
  batchesSent: number;
  signalsAcknowledged: number;
  signalsDropped: number;
  failures: number;
  retryAt: number | null;
  lastError: string | null;
}

/**
 * Sends spooled signals in signed batches: as soon as a batch is full, or when the oldest waiting
 * signal has waited `flushIntervalMs`. Failures back off exponentially with jitter (Retry-After wins).
 * A batch the server refuses as such (400/413/422) is halved until the offending signal is alone,
 * then that one is dropped, so one bad signal cannot block the spool.
 */
export class SignalPusher {
  private readonly random: () => number;
  private readonly now: () => number;
  private waitingSince: number | null = null;
  private attempt = 0;
  private retryAt = 0;
  private limit: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<PushStep> | null = null;
  private running = false;
  private readonly counters: PusherStats = { batchesSent: 0, signalsAcknowledged: 0, signalsDropped: 0, failures: 0, retryAt: null, lastError: null };

  constructor(private readonly o: PusherOptions) {
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.limit = o.batchSize;
  }

  stats(): PusherStats {
    return { ...this.counters, retryAt: this.retryAt > this.now() ? this.retryAt : null };
  }

  start(): void {
    this.running = true;
    this.notify();
  }

  /** New signals were spooled. */
  notify(): void {
    if (this.waitingSince === null && this.o.spool.pendingCount > 0) this.waitingSince = this.now();
    if (this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
  }

  /** One step: send a batch if one is due (`force`: do not wait for the flush interval or a backoff). */
  step(force = false): Promise<PushStep> {
    if (this.inFlight) return this.inFlight.then(() => this.step(force));
    const run = this.stepOnce(force).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.step().then(
        (r) => this.after(r),
        (e: Error) => {
          this.o.logger.error('push step failed', { error: e.message });
          this.schedule(this.o.maxBackoffMs);
        },
      );
    }, Math.max(0, delay));
  }

  private after(r: PushStep): void {
    const now = this.now();
    if (r === 'sent' || r === 'split' || r === 'dropped') this.schedule(0);
    else if (r === 'backoff') this.schedule(this.retryAt - now);
    else if (r === 'waiting' && this.waitingSince !== null) this.schedule(Math.max(this.retryAt, this.waitingSince + this.o.flushIntervalMs) - now);
  }

  private async stepOnce(force: boolean): Promise<PushStep> {
    const now = this.now();
    const batch = this.o.spool.peek(this.limit);
    if (batch.length === 0) {
      this.waitingSince = null;
      return 'idle';
    }
    if (this.waitingSince === null) this.waitingSince = now;
    if (!force && now < this.retryAt) return 'backoff';
    if (!force && batch.length < this.o.batchSize && now - this.waitingSince < this.o.flushIntervalMs) return 'waiting';
    const outcome: PushOutcome = await this.o.api.pushSignals(batch, this.o.gzip);
    const uuids = batch.map((s) => s.uuid);
    switch (outcome.kind) {
      case 'ok': {
        await this.o.spool.acknowledge(uuids);
        this.counters.batchesSent++;
        this.counters.signalsAcknowledged += uuids.length;
        this.attempt = 0;
        this.retryAt = 0;
        this.limit = this.o.batchSize;
        this.waitingSince = this.o.spool.pendingCount > 0 ? this.now() : null;
        const rejected = outcome.result?.rejected ?? [];
        if (rejected.length > 0) this.o.logger.warn('server refused some signals', { rejected: rejected.slice(0, 10), count: rejected.length });
        this.o.logger.info('signals pushed', { signals: uuids.length, accepted: outcome.result?.accepted, duplicates: outcome.result?.duplicates, pending: this.o.spool.pendingCount });
        return 'sent';
      }
      case 'rejected':
        if (batch.length > 1) {
          this.limit = Math.ceil(batch.length / 2);
          return 'split';
        }
        await this.o.spool.acknowledge(uuids, true);
        this.counters.signalsDropped++;
        this.limit = this.o.batchSize;
        this.o.logger.error('server refused a signal: dropped', { signal: batch[0], reason: outcome.reason });
        return 'dropped';
      case 'retry': {
        this.attempt++;
        this.counters.failures++;
        this.counters.lastError = outcome.reason;
        const delay = outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : backoffDelay(this.attempt, this.o.minBackoffMs, this.o.maxBackoffMs, this.random);
        this.retryAt = this.now() + delay;
        this.o.logger.warn('push failed, will retry', { status: outcome.status, reason: outcome.reason, attempt: this.attempt, retryInMs: delay });
        return 'backoff';
      }
    }
  }
}
