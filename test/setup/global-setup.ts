import { Redis } from 'ioredis';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { recreateDatabase } from './db.js';
import { testEnv } from './test-env.js';

/** Once per test run: a fresh, migrated test database and an empty Redis test db. */
export default async function globalSetup(): Promise<void> {
  const env = testEnv();
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  await recreateDatabase(env.DATABASE_URL);
  await applyMigrations(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
