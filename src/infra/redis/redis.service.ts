import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/app-config.js';
import { throttledErrorLog } from '../../common/logging/throttled-error-log.js';
import { withTimeout } from '../../common/util/timeout.js';
import { Clock } from '../clock/clock.js';
import { closeRedis } from './close-redis.js';
import { createRedisClient } from './redis-client.js';
import { type SharedStores, processMemoryBackend, sharedStores } from './shared-stores.js';
import type { KeyEraser, NonceRegistry, PubSub, SharedBackend, WindowCounters } from './shared-state.js';

/**
 * The application's shared state (rate windows, nonces, quotas, pub/sub) on the configured backend:
 * one Redis (`REDIS_URL`), a Redis Cluster (`REDIS_CLUSTER_NODES`), or in-process maps (the embedded
 * mode). Callers use the typed stores (`windows`, `nonces`, `pubsub`, `eraser`; domain stores build on
 * `backend`), never a client. Redis commands fail fast while it is down (no offline queue), so callers
 * answer 503 instead of hanging; the client keeps reconnecting with backoff. BullMQ has its own
 * connections (src/infra/queue).
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisService');
  readonly prefix: string;
  readonly backend: SharedBackend;
  private readonly stores: SharedStores;

  constructor(@Inject(APP_CONFIG) config: AppConfig, clock: Clock) {
    this.prefix = `${config.redis.prefix}:`;
    if (config.redis.backend === 'memory') {
      this.backend = processMemoryBackend(config.redis.prefix, clock);
    } else {
      const client = createRedisClient(config.redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000, lazyConnect: false }, { enableOfflineQueue: false });
      client.on('error', throttledErrorLog((message) => this.logger.warn(message), 'Redis unavailable'));
      this.backend = { kind: 'redis', client };
    }
    this.stores = sharedStores(this.backend, config.redis, clock);
  }

  get windows(): WindowCounters {
    return this.stores.windows;
  }

  get nonces(): NonceRegistry {
    return this.stores.nonces;
  }

  get pubsub(): PubSub {
    return this.stores.pubsub;
  }

  get eraser(): KeyEraser {
    return this.stores.eraser;
  }

  /** Connected (always, in memory): commands fail fast until then. */
  get isReady(): boolean {
    return this.backend.kind === 'memory' || this.backend.client.status === 'ready';
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async ping(timeoutMs = 2_000): Promise<void> {
    if (this.backend.kind === 'memory') return;
    const client = this.backend.client;
    if (client.status !== 'ready') throw new Error(`Redis connection is ${client.status}`);
    await withTimeout(client.ping(), timeoutMs, 'Redis ping');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.backend.kind === 'redis') await closeRedis(this.backend.client);
  }
}
