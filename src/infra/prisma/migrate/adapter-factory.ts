import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { catalogTextPool } from './catalog-text-client.js';
import { runStatement } from './database-admin.js';
import { quoteIdent, schemaParam, withDatabase } from './pg-url.js';

/**
 * Driver adapter factory for the schema engine. The shadow database is handled here rather than by
 * PrismaPg.connectToShadowDb, which lets a connection string override the shadow database name and
 * drops the database while its own pool still holds connections.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  private readonly pool: pg.Pool;
  private readonly main: PrismaPg;
  private readonly schema: string | undefined;
  private readonly shadowCleanups = new Set<() => Promise<void>>();

  constructor(
    private readonly databaseUrl: string,
    private readonly log: (msg: string) => void,
  ) {
    this.schema = schemaParam(databaseUrl);
    this.pool = catalogTextPool(databaseUrl);
    this.pool.on('error', (err) => this.log(`idle database connection failed: ${err.message}`));
    this.main = new PrismaPg(this.pool, { schema: this.schema });
    this.adapterName = this.main.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return wholeScripts(await this.main.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `quorum_shadow_${randomUUID().replaceAll('-', '')}`;
    await runStatement(this.databaseUrl, `CREATE DATABASE ${quoteIdent(name)}`);
    const pool = catalogTextPool(withDatabase(this.databaseUrl, name));
    pool.on('error', (err) => this.log(`idle shadow database connection failed: ${err.message}`));
    const adapter = wholeScripts(await new PrismaPg(pool, { schema: this.schema, disposeExternalPool: true }).connect());
    const disposePool = adapter.dispose.bind(adapter);
    let done = false;
    const cleanup = async (): Promise<void> => {
      if (done) return;
      done = true;
      this.shadowCleanups.delete(cleanup);
      try {
        await disposePool();
      } finally {
        await runStatement(this.databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }
    };
    this.shadowCleanups.add(cleanup);
    adapter.dispose = cleanup;
    return adapter;
  }

  /** Drops shadow databases the engine did not dispose of, then closes the main pool. */
  async close(): Promise<void> {
    try {
      for (const cleanup of [...this.shadowCleanups]) await cleanup();
    } finally {
      await this.pool.end();
    }
  }
}

interface ScriptableAdapter {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
}

/**
 * adapter-pg splits migration scripts on every ';', which breaks semicolons inside comments, strings
 * and DO blocks. Send the whole script as one simple-protocol query instead (PostgreSQL runs it as
 * one implicit transaction, so a failing migration leaves nothing half-applied).
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async function executeWholeScript(this: ScriptableAdapter, script: string): Promise<void> {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  } as SqlDriverAdapter['executeScript'];
  return adapter;
}
