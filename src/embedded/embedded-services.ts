import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { EmbeddedRedisServer } from './redis/embedded-redis-server.js';

export interface EmbeddedServices {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  close(): Promise<void>;
}

/** PGlite on disk (`<dataDir>/pg`) and the in-process Redis (snapshot `<dataDir>/redis.json`), on loopback ports. */
export async function startEmbeddedServices(dataDir: string): Promise<EmbeddedServices> {
  const postgres = await startEmbeddedPostgres(join(dataDir, 'pg'));
  const redis = new EmbeddedRedisServer(join(dataDir, 'redis.json'));
  let redisUrl: string;
  try {
    redisUrl = await redis.start();
  } catch (error) {
    await postgres.close();
    throw error;
  }
  return {
    databaseUrl: postgres.url,
    redisUrl,
    async close() {
      await redis.close().catch(() => undefined);
      await postgres.close();
    },
  };
}

/** What differs from a deployment on PostgreSQL and Redis; logged at every embedded boot. */
export const EMBEDDED_LIMITATIONS: readonly string[] = [
  'embedded mode is for trying Quorum on one machine, not for production',
  'PGlite runs one query at a time: throughput is far below PostgreSQL',
  'one process only (`quorum all --embedded`): separate api/worker processes or replicas cannot share the embedded database or Redis',
  'PostgreSQL advisory locks do not exclude anything (PGlite has a single session); safe only because one process runs',
  'Redis keys (nonces, rate windows, quotas) are snapshotted to the data folder every 5 s and on shutdown: a crash can forget the last seconds of batch nonces',
  'queues run on BullMQ\'s PostgreSQL backend (tables in the public schema of the embedded database)',
];
