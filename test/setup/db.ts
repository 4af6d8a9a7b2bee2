import pg from 'pg';
import { dropDatabase, ensureDatabase } from '../../src/infra/prisma/migrate/database-admin.js';

/** Drops and recreates the database named in `url` (connecting to the `postgres` maintenance db). */
export async function recreateDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe test database name ${name}`);
  await dropDatabase(url);
  await ensureDatabase(url);
}

/** Empties the given tables (fast reset between test files). */
export async function truncate(url: string, tables: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}

/** One query against the test database (assertions on stored rows). */
export async function sql<T extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
