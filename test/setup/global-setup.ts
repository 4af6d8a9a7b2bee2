import { Redis } from 'ioredis';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { recreateDatabase } from './db.js';
import { scoringTestOverrides, testEnv } from './test-env.js';
import { acquireRunLock } from './run-lock.js';
import { runState } from './run-state.js';

/** Once per test run: a fresh, migrated test database and an empty Redis test db. */
export default async function globalSetup(): Promise<void> {
  const env = testEnv();
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  // Both tiers name this setup; the lock is taken once per run and released by the global teardown.
  runState().lock ??= await acquireRunLock(env.DATABASE_URL, (line) => process.stdout.write(`${line}\n`));
  for (const url of [env.DATABASE_URL, scoringTestOverrides().DATABASE_URL]) {
    await recreateDatabase(url);
    await applyMigrations(url);
  }
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
