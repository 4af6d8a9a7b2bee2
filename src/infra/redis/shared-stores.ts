import type { AppConfig } from '../../config/app-config.js';
import type { Clock } from '../clock/clock.js';
import { MemoryKeyspace } from './memory-keyspace.js';
import { MemoryKeyEraser, MemoryNonceRegistry, MemoryPubSub, MemoryWindowCounters } from './memory-stores.js';
import { RedisKeyEraser, RedisNonceRegistry, RedisPubSub, RedisWindowCounters } from './redis-stores.js';
import type { KeyEraser, NonceRegistry, PubSub, SharedBackend, WindowCounters } from './shared-state.js';

export interface SharedStores {
  readonly windows: WindowCounters;
  readonly nonces: NonceRegistry;
  readonly pubsub: PubSub;
  readonly eraser: KeyEraser;
}

const processBackends = new Map<string, SharedBackend & { kind: 'memory' }>();

/**
 * The in-process backend of this process for a key prefix: one keyspace and one pub/sub for every
 * application context of the process (the embedded mode runs the API and the worker as two Nest
 * contexts in one process; they must see the same windows and the same messages, as two processes
 * on one Redis do). The first context's clock drives expiry.
 */
export function processMemoryBackend(prefix: string, clock: Clock): SharedBackend {
  let backend = processBackends.get(prefix);
  if (!backend) {
    backend = { kind: 'memory', keyspace: new MemoryKeyspace(clock), pubsub: new MemoryPubSub() };
    processBackends.set(prefix, backend);
  }
  return backend;
}

/** The generic stores on a backend: Redis (one server or a cluster) or the in-process keyspace. */
export function sharedStores(backend: SharedBackend, config: AppConfig['redis'], clock: Clock): SharedStores {
  if (backend.kind === 'memory') {
    const keyspace = backend.keyspace;
    return {
      windows: new MemoryWindowCounters(keyspace),
      nonces: new MemoryNonceRegistry(keyspace),
      pubsub: backend.pubsub,
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
