import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import { throttledErrorLog } from '../../common/logging/throttled-error-log.js';
import { withTimeout } from '../../common/util/timeout.js';
import { type Connection, connectionOf, type Db, poolDb, transactionDb } from './db.js';
import { TRANSACTION_LIMITS } from './transaction-limits.js';

/**
 * The Prisma client (pg driver adapter) and the pg pool behind it. Only repositories and this
 * folder may use it (lint rule). Repositories reach the database through `db` (Prisma delegates and
 * raw SQL on the pool) and `transaction` (both on one transaction): docs/architecture.md "Data access".
 * Connections are lazy: the process boots with PostgreSQL down and /readyz reports it.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private readonly logger = new Logger('PrismaService');
  readonly pool: pg.Pool;
  /** Delegates and raw SQL outside any transaction (raw SQL runs on the pool). */
  readonly db: Db;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new pg.Pool({
      connectionString: config.database.url,
      max: config.database.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    super({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_LIMITS });
    this.pool = pool;
    this.db = poolDb(this, pool);
    // pg-pool listens for errors of idle clients only: a checked-out client whose connection drops
    // between two queries (the scoring lock holds one for a whole run) would emit 'error' with no
    // listener and crash the process. Every client gets a listener for its whole life; the holder
    // still sees the failure on its next query.
    const logConnectionError = throttledErrorLog((message) => this.logger.warn(message), 'PostgreSQL connection error');
    this.pool.on('connect', (client) => client.on('error', logConnectionError));
    this.pool.on('error', logConnectionError);
  }

  /**
   * Runs `work` in one transaction (a Prisma interactive transaction, TRANSACTION_LIMITS): every
   * repository method handed `tx` takes part in it, with Prisma delegates (`tx.prisma`) and raw SQL
   * (`tx.query`, `tx.execute`) alike; a throw rolls all of it back.
   */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.$transaction((tx) => work(transactionDb(tx)));
  }

  /**
   * Runs `work` on one pooled connection held until it returns, for session-level state that must stay
   * on one connection (a session advisory lock); not a transaction.
   */
  async withConnection<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(connectionOf(client));
    } finally {
      client.release();
    }
  }

  async ping(timeoutMs = 2_000): Promise<void> {
    const client = await withTimeout(this.pool.connect(), timeoutMs, 'PostgreSQL connect');
    try {
      await withTimeout(client.query('SELECT 1'), timeoutMs, 'PostgreSQL ping');
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
