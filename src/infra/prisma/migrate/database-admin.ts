import pg from 'pg';
import { databaseName, quoteIdent, withDatabase } from './pg-url.js';

const MAINTENANCE_DB = 'postgres';
const INVALID_CATALOG_NAME = '3D000';
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';
// Serialises migrate runs of several processes (e.g. replicas starting together) on one database.
const MIGRATE_LOCK_KEY = 'quorum:migrate';

/**
 * Creates the database named by the URL when missing (returns true then). Only a missing database
 * leads to the maintenance database, which production roles may not be allowed to open.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  try {
    await withClient(databaseUrl, async () => undefined);
    return false;
  } catch (error) {
    if (errorCode(error) !== INVALID_CATALOG_NAME) throw error;
  }
  return withClient(withDatabase(databaseUrl, MAINTENANCE_DB), async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await withClient(withDatabase(databaseUrl, MAINTENANCE_DB), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/** Holds a session advisory lock on the target database while `work` runs. */
export async function withMigrateLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  return withClient(databaseUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATE_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATE_LOCK_KEY]);
    }
  });
}

export async function runStatement(connectionString: string, sql: string): Promise<void> {
  await withClient(connectionString, async (client) => {
    await client.query(sql);
  });
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined); // a dropped connection also rejects the pending query
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}
