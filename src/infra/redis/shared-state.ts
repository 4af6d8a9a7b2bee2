import type { MemoryKeyspace } from './memory-keyspace.js';
import type { MemoryPubSub } from './memory-stores.js';
import type { RedisClient } from './redis-client.js';

/**
 * The small typed interfaces through which the application uses its shared state. Each has a Redis
 * implementation (src/infra/redis/redis-stores.ts; one Redis or a Redis Cluster) and an in-process one
 * for the embedded mode (memory-stores.ts); both pass one contract suite
 * (test/integration/shared-state.contract.int-spec.ts). Time comes from the application's Clock, not
 * from Redis: a key's logical expiry is stored with it, Redis TTLs only collect garbage.
 */

/** A window's count after a hit, and how long until it resets. */
export interface WindowCount {
  count: number;
  /** ms until the window resets (0 when no window is open) */
  resetMs: number;
}

/** Fixed windows that open at their first hit (rate limits, login failure counters). */
export interface WindowCounters {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The open window's count (0 when none), without counting. */
  peek(key: string): Promise<WindowCount>;
  clear(key: string): Promise<void>;
}

/** Single-use tokens remembered for a period. */
export interface NonceRegistry {
  /** True when the nonce was free (and is now taken for `ttlMs`), false when already taken. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Frees a nonce (its request was not committed). */
  release(key: string): Promise<void>;
}

export interface Subscription {
  /** Resolves once the channels are subscribed (messages published after it are delivered). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeEvents {
  /** After a reconnection: messages may have been missed. */
  onResubscribed?: () => void;
  onError?: (error: Error) => void;
}

/** Broadcast messages to every process (cache invalidations, new versions). */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Never throws when the backend is down: it keeps retrying and reports through `onError`. */
  subscribe(handlers: Readonly<Record<string, (message: string) => void>>, events?: SubscribeEvents): Subscription;
}

/** Deletes keys whatever store wrote them (erasure of an organisation's or agent's counters). */
export interface KeyEraser {
  /** Returns how many of the keys existed. */
  deleteKeys(keys: readonly string[]): Promise<number>;
  /** Every key starting with `prefix` (on a cluster, on every master). Returns how many were deleted. */
  deleteByPrefix(prefix: string): Promise<number>;
}

/**
 * What a domain store is built on: a Redis connection, or the in-process keyspace. Domain stores with
 * their own atomic operation (the ingest ledger, the quota leases) choose their implementation from it.
 */
export type SharedBackend =
  | { readonly kind: 'redis'; readonly client: RedisClient }
  | { readonly kind: 'memory'; readonly keyspace: MemoryKeyspace; readonly pubsub: MemoryPubSub };

/**
 * `{id}`: a Redis Cluster hash tag. Keys that one script touches together carry the same tag, so they
 * live in one slot (e.g. an agent's nonce, token bucket and daily counters).
 */
export function hashTag(id: string): string {
  return `{${id}}`;
}

/** Redis keeps a key this long past its logical expiry (replica clocks differ a little). */
export const EXPIRY_GRACE_MS = 60_000;
