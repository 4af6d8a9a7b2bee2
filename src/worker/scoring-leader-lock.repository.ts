import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** Session-level advisory lock naming the scoring leader (not the per-run lock of consensus.repository.ts). */
const LEADER_LOCK = 741_852_964;

/**
 * The scoring leadership as a PostgreSQL advisory lock held by one dedicated connection for as long as
 * the worker leads. When the process dies (even SIGKILL) the server sees its connection close and
 * frees the lock at once, so a standby's next try takes it. Outside the Prisma pool so that neither a
 * busy pool nor its idle reaping can release it by accident.
 */
@Injectable()
export class ScoringLeaderLock {
  private client: pg.Client | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Takes the lock if it is free; false when another worker holds it. */
  async tryAcquire(): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
    if (!rows[0].ok) await this.close();
    return rows[0].ok;
  }

  /** This connection still holds the lock (false when the connection was lost). */
  async held(): Promise<boolean> {
    if (!this.client) return false;
    const { rows } = await this.client.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND objsubid = 1
         AND pid = pg_backend_pid() AND granted) AS held`,
      [LEADER_LOCK],
    );
    return rows[0].held;
  }

  /** Frees the lock by closing its connection. */
  async release(): Promise<void> {
    await this.close();
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.config.database.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    // A dropped connection has lost the lock; the next check notices (held() fails or returns false).
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
