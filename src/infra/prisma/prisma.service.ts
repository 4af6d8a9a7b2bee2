import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import { withTimeout } from '../../common/util/timeout.js';
import { TRANSACTION_LIMITS } from './transaction-limits.js';

/**
 * The Prisma client (pg driver adapter) and the pg pool behind it. Only repositories and this
 * folder may use it (lint rule). The pool is exposed for bulk paths (multi-row inserts, COPY).
 * Connections are lazy: the process boots with PostgreSQL down and /readyz reports it.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private readonly logger = new Logger('PrismaService');
  readonly pool: pg.Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new pg.Pool({
      connectionString: config.database.url,
      max: config.database.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    super({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_LIMITS });
    this.pool = pool;
    this.pool.on('error', (error) => this.logger.warn(`idle PostgreSQL client error: ${error.message}`));
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
