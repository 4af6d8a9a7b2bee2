import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { throttledErrorLog } from '../../common/logging/throttled-error-log.js';
import { closeRedis } from './close-redis.js';

/**
 * The application's Redis connection (rate limits, nonces, quotas, pub/sub publishing). Commands fail
 * fast while Redis is down (no offline queue), so callers answer 503 instead of hanging; the client
 * keeps reconnecting with backoff. BullMQ uses its own connections (see queue.module.ts).
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisService');
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.redis.prefix}:`;
    this.client = new Redis(config.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (attempt) => Math.min(200 * 2 ** Math.min(attempt, 6), 10_000),
      lazyConnect: false,
    });
    this.client.on('error', throttledErrorLog((message) => this.logger.warn(message), 'Redis unavailable'));
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async ping(timeoutMs = 2_000): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`Redis connection is ${this.client.status}`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis ping timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
  }
}
