import { BlocklistSync } from '../../src/blocklist/blocklist-sync.service.js';
import { BlocklistRepository } from '../../src/blocklist/blocklist.repository.js';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import { loadConfig } from '../../src/config/app-config.js';
import { SystemClock } from '../../src/infra/clock/clock.js';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { ReadReplica } from '../../src/infra/prisma/read-replica.js';
import { RedisService } from '../../src/infra/redis/redis.service.js';

export interface Publisher {
  service: BlocklistService;
  close(): Promise<void>;
}

/**
 * The blocklist service as the worker runs it (consensus calls `publishChanges`), wired by hand in
 * this process: same repository, same transaction, same Redis announcement to the API processes.
 */
export async function createPublisher(databaseUrl: string, redisUrl: string, redisPrefix: string): Promise<Publisher> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix, QUORUM_LOG_LEVEL: 'warn' });
  const prisma = new PrismaService(config);
  const redis = new RedisService(config, new SystemClock());
  const repository = new BlocklistRepository(prisma, new ReadReplica(prisma, config));
  const sync = new BlocklistSync(repository, redis, 'worker', config);
  const service = new BlocklistService(repository, sync, redis, config);
  for (let i = 0; !redis.isReady; i++) {
    if (i > 100) throw new Error(`Redis at ${redisUrl} is not reachable`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    service,
    close: async () => {
      await prisma.onApplicationShutdown();
      await redis.onApplicationShutdown();
    },
  };
}
