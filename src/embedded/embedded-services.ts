import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface EmbeddedServices {
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/**
 * PGlite on disk (`<dataDir>/pg`) on a loopback port. No Redis: the shared state (rate windows, nonces,
 * quotas, pub/sub) lives in the process (`redis.backend = 'memory'`, src/infra/redis/memory-stores.ts)
 * and queues run on BullMQ's PostgreSQL backend.
 */
export async function startEmbeddedServices(dataDir: string): Promise<EmbeddedServices> {
  const postgres = await startEmbeddedPostgres(join(dataDir, 'pg'));
  return { databaseUrl: postgres.url, close: () => postgres.close() };
}

/** What differs from a deployment on PostgreSQL and Redis; logged at every embedded boot. */
export const EMBEDDED_LIMITATIONS: readonly string[] = [
  'embedded mode is for trying Quorum on one machine, not for production',
  'PGlite runs one query at a time: throughput is far below PostgreSQL',
  'one process only (`quorum all --embedded`): separate api/worker processes or replicas cannot share the embedded database or the in-process state',
  'PostgreSQL advisory locks do not exclude anything (PGlite has a single session); safe only because one process runs',
  'rate windows, login nonces and lookup quotas are kept in process memory, not on disk: a restart starts them afresh (batch nonces stay refused: PostgreSQL keeps them)',
  'queues run on BullMQ\'s PostgreSQL backend (tables in the public schema of the embedded database)',
];
