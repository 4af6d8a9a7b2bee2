import { createPostgresBackend, type QueueOptions, runMigrations, setDefaultBackendFactory } from 'bullmq';
import pg from 'pg';

// PGlite has a single session shared by every connection: a per-connection search_path for another
// schema would also move the application's own queries, so BullMQ's tables live in `public`.
const QUEUE_SCHEMA = 'public';

/**
 * Root BullMQ options for its PostgreSQL backend on the application database (the embedded mode:
 * no Redis). The backend is process-wide (BullMQ has no per-module factory option).
 */
export function postgresQueueRoot(databaseUrl: string): QueueOptions {
  setDefaultBackendFactory(createPostgresBackend);
  const connection = { connectionString: databaseUrl, schema: QUEUE_SCHEMA, max: 4 };
  return { connection } as unknown as QueueOptions;
}

/** Creates or upgrades BullMQ's tables, once, before any queue connects. Returns the schema version. */
export async function migrateQueueTables(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await runMigrations(client, QUEUE_SCHEMA);
  } finally {
    await client.end();
  }
}
