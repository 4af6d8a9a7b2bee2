import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import pg from 'pg';
import type { Counter } from 'prom-client';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { throttledErrorLog } from '../../common/logging/throttled-error-log.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PrismaService } from './prisma.service.js';

/** Where a snapshot read ran. */
export type ReadSource = 'replica' | 'primary';

/** Returned by a snapshot read on the replica when its snapshot has not reached what the caller needs. */
export const READ_REPLICA_BEHIND: unique symbol = Symbol('replica behind');

export interface SnapshotReadOptions {
  /** How long to keep asking a replica that is behind before reading the primary (ms). */
  readonly waitMs: number;
  /** Pause between two tries on a replica that is behind (ms). */
  readonly retryMs?: number;
}

export type SnapshotWork<T> = (client: pg.PoolClient, source: ReadSource) => Promise<T | typeof READ_REPLICA_BEHIND>;

const DEFAULT_RETRY_MS = 50;
/** After a replica error, reads go straight to the primary for this long (no connect timeout paid per read). */
const REPLICA_RESTING_MS = 10_000;

/**
 * The optional streaming read replica (`DATABASE_REPLICA_URL`, docs/scaling.md "Read replica") and the
 * one way to use it: a read-only, repeatable-read snapshot on the replica, checked by the caller against
 * what it needs (a generation, a version), else on the primary. Reads that must see their own writes or
 * the latest state never come here. Without a replica every snapshot runs on the primary's pool.
 */
@Injectable()
export class ReadReplica implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  /** The replica's pool, null when no replica is configured. */
  readonly pool: pg.Pool | null;
  private readonly logError = throttledErrorLog((message) => this.logger.warn(message), 'read replica unavailable, reading the primary');
  private fallbacks = 0;
  private restingUntilMs = 0;
  private readonly reads: Counter<'source' | 'reason'> | null;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() metrics?: MetricsService,
  ) {
    const url = config.database.replicaUrl;
    this.pool = url
      ? new pg.Pool({ connectionString: url, max: config.database.poolSize, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 })
      : null;
    if (this.pool) {
      // Same reason as PrismaService: a dropped connection must not crash the process.
      this.pool.on('connect', (client) => client.on('error', this.logError));
      this.pool.on('error', this.logError);
    }
    this.reads =
      this.pool && metrics
        ? metrics.counter(
            'quorum_db_replica_reads_total',
            'Lag-tolerant snapshot reads by where they ran: the replica, or the primary because the replica was behind or failing',
            ['source', 'reason'],
          )
        : null;
  }

  get configured(): boolean {
    return this.pool !== null;
  }

  /** Snapshot reads that ran on the primary although a replica is configured (behind or failing). */
  get fallbackCount(): number {
    return this.fallbacks;
  }

  /**
   * Runs `work` in one read-only repeatable-read transaction. On the replica, `work` may return
   * READ_REPLICA_BEHIND: the snapshot is dropped and taken again every `retryMs` for up to `waitMs`, then the
   * work runs on the primary. A replica error (down, a query cancelled by a recovery conflict) also
   * sends the work to the primary, and so does every read for the next 10 s. On the primary, `work` is expected to answer; READ_REPLICA_BEHIND there is
   * an error. `work` may run more than once: it must start from scratch each time.
   */
  async snapshot<T>(work: SnapshotWork<T>, options: SnapshotReadOptions): Promise<{ value: T; source: ReadSource }> {
    if (this.pool) {
      const deadline = Date.now() + options.waitMs;
      let reason: 'behind' | 'error' = Date.now() < this.restingUntilMs ? 'error' : 'behind';
      while (reason === 'behind') {
        let result: T | typeof READ_REPLICA_BEHIND;
        try {
          result = await inSnapshot(this.pool, (client) => work(client, 'replica'));
        } catch (error) {
          this.logError(error as Error);
          this.restingUntilMs = Date.now() + REPLICA_RESTING_MS;
          reason = 'error';
          break;
        }
        if (result !== READ_REPLICA_BEHIND) {
          this.reads?.inc({ source: 'replica', reason: 'caught_up' });
          return { value: result, source: 'replica' };
        }
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? DEFAULT_RETRY_MS));
      }
      this.fallbacks++;
      this.reads?.inc({ source: 'primary', reason });
    }
    const value = await inSnapshot(this.prisma.pool, (client) => work(client, 'primary'));
    if (value === READ_REPLICA_BEHIND) throw new Error('a snapshot read of the primary reported it behind');
    return { value, source: 'primary' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
  }
}

async function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
  }
}
