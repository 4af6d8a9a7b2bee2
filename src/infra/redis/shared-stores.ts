import type { AppConfig } from '../../config/app-config.js';
import type { Clock } from '../clock/clock.js';
import { MemoryKeyEraser, MemoryNonceRegistry, MemoryPubSub, MemoryWindowCounters } from './memory-stores.js';
import { RedisKeyEraser, RedisNonceRegistry, RedisPubSub, RedisWindowCounters } from './redis-stores.js';
import type { KeyEraser, NonceRegistry, PubSub, SharedBackend, WindowCounters } from './shared-state.js';

export interface SharedStores {
  readonly windows: WindowCounters;
  readonly nonces: NonceRegistry;
  readonly pubsub: PubSub;
  readonly eraser: KeyEraser;
}

/** The generic stores on a backend: Redis (one server or a cluster) or the in-process keyspace. */
export function sharedStores(backend: SharedBackend, config: AppConfig['redis'], clock: Clock): SharedStores {
  if (backend.kind === 'memory') {
    const keyspace = backend.keyspace;
    return {
      windows: new MemoryWindowCounters(keyspace),
      nonces: new MemoryNonceRegistry(keyspace),
      pubsub: new MemoryPubSub(),
      eraser: new MemoryKeyEraser(keyspace),
    };
  }
  const client = backend.client;
  return {
    windows: new RedisWindowCounters(client, clock),
    nonces: new RedisNonceRegistry(client, clock),
    pubsub: new RedisPubSub(client, config),
    eraser: new RedisKeyEraser(client),
  };
}
