import type { Clock } from '../clock/clock.js';
import { Cluster, type Redis } from 'ioredis';
import { type RedisClient, createRedisClient, masters } from './redis-client.js';
import type { AppConfig } from '../../config/app-config.js';
import { closeRedis } from './close-redis.js';
import {
  EXPIRY_GRACE_MS,
  type KeyEraser,
  type NonceRegistry,
  type PubSub,
  type SubscribeEvents,
  type Subscription,
  type WindowCount,
  type WindowCounters,
} from './shared-state.js';

// The window is the string "count:resetAt" (clock ms): a hit on a missing or elapsed window opens a
// new one. The caller's clock decides; the Redis TTL (window + grace) only collects the key.
const WINDOW_HIT = `
local now = tonumber(ARGV[1])
local count = 1
local reset = now + tonumber(ARGV[2])
local v = redis.call('GET', KEYS[1])
if v then
  local sep = string.find(v, ':', 1, true)
  if sep then
    local c = tonumber(string.sub(v, 1, sep - 1))
    local r = tonumber(string.sub(v, sep + 1))
    if c and r and r > now then
      count = c + 1
      reset = r
    end
  end
end
redis.call('SET', KEYS[1], string.format('%d:%d', count, reset), 'PX', reset - now + tonumber(ARGV[3]))
return {count, reset - now}
`;

// The nonce's value is its expiry (clock ms).
const NONCE_CLAIM = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if v > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** Parses a "count:resetAt" window; null when absent or elapsed. */
function parseWindow(value: string | null, now: number): WindowCount | null {
  if (!value) return null;
  const [count, reset] = value.split(':').map(Number);
  if (!Number.isFinite(count) || !Number.isFinite(reset) || reset <= now) return null;
  return { count, resetMs: reset - now };
}

export class RedisWindowCounters implements WindowCounters {
  constructor(
    private readonly client: RedisClient,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, resetMs] = (await this.client.eval(WINDOW_HIT, 1, key, this.clock.nowMs(), windowMs, EXPIRY_GRACE_MS)) as [number, number];
    return { count: Number(count), resetMs: Number(resetMs) };
  }

  async peek(key: string): Promise<WindowCount> {
    return parseWindow(await this.client.get(key), this.clock.nowMs()) ?? { count: 0, resetMs: 0 };
  }

  async clear(key: string): Promise<void> {
    await this.client.del(key);
  }
}

export class RedisNonceRegistry implements NonceRegistry {
  constructor(
    private readonly client: RedisClient,
    private readonly clock: Clock,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.nowMs();
    return Number(await this.client.eval(NONCE_CLAIM, 1, key, now, now + ttlMs, ttlMs + EXPIRY_GRACE_MS)) === 1;
  }

  async release(key: string): Promise<void> {
    await this.client.del(key);
  }
}

/**
 * Publishing goes through the shared connection; each subscription opens its own connection (a
 * subscribed connection runs nothing else). On a cluster, PUBLISH reaches the subscribers of every node.
 */
export class RedisPubSub implements PubSub {
  constructor(
    private readonly client: RedisClient,
    private readonly config: AppConfig['redis'],
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(channel, message);
  }

  subscribe(handlers: Readonly<Record<string, (message: string) => void>>, events: SubscribeEvents = {}): Subscription {
    const connection = createRedisClient(
      this.config,
      { lazyConnect: true, maxRetriesPerRequest: null, enableOfflineQueue: true, autoResubscribe: true },
      { enableOfflineQueue: true },
    );
    let connectedBefore = false;
    connection.on('message', (channel: string, message: string) => handlers[channel]?.(message));
    connection.on('error', (error: Error) => events.onError?.(error));
    connection.on('ready', () => {
      if (connectedBefore) events.onResubscribed?.();
      connectedBefore = true;
    });
    const ready = (async () => {
      await connection.connect();
      await connection.subscribe(...Object.keys(handlers));
    })();
    // Not connected yet is not an error: ioredis keeps retrying and subscribes when it can.
    ready.catch((error: Error) => events.onError?.(error));
    return {
      ready,
      close: async () => {
        await closeRedis(connection);
      },
    };
  }
}

/** A SCAN pattern matching keys that start with `prefix` literally. */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}*`;
}

export class RedisKeyEraser implements KeyEraser {
  constructor(private readonly client: RedisClient) {}

  async deleteKeys(keys: readonly string[]): Promise<number> {
    // One key per command: keys of different slots cannot share a DEL on a cluster.
    const counts = await Promise.all(keys.map((key) => this.client.unlink(key)));
    return counts.reduce((sum, n) => sum + Number(n), 0);
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    const totals = await Promise.all(masters(this.client).map((node) => this.eraseOn(node, prefix)));
    return totals.reduce((sum, n) => sum + n, 0);
  }

  private async eraseOn(node: Redis, prefix: string): Promise<number> {
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', prefixPattern(prefix), 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) {
        const pipeline = node.pipeline();
        for (const key of keys) pipeline.unlink(key);
        const replies = (await pipeline.exec()) ?? [];
        removed += replies.reduce((sum, [error, n]) => sum + (error ? 0 : Number(n)), 0);
      }
    } while (cursor !== '0');
    return removed;
  }
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
