import type { MemoryKeyspace } from '../../infra/redis/memory-keyspace.js';
import type { RedisClient } from '../../infra/redis/redis-client.js';
import type { SharedBackend } from '../../infra/redis/shared-state.js';
import type { LeaseGrant, LeaseRequest, LeaseStore } from './lease.js';
import type { WindowKind } from './quota-windows.js';

// Grants min(want, limit - counter) and never more: the counter cannot pass the limit.
const RESERVE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
local room = tonumber(ARGV[2]) - used
if room <= 0 then return {0, used} end
if want > room then want = room end
local total = redis.call('INCRBY', KEYS[1], want)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return {want, total}
`;

// A window that expired or was erased (docs/privacy.md, organisation erasure) has nothing to give back:
// never re-create its key, which would then live without an expiry.
const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local v = redis.call('DECRBY', KEYS[1], ARGV[1])
if v < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
return v
`;

export type QuotaKey = (org: string, kind: WindowKind, windowId: number) => string;

/**
 * Window counters in Redis, one single-key script per reservation (so each counter may live in any
 * cluster slot). Reservations made in the same tick go out back to back on one connection (pipelined
 * by the connection, one round trip in practice), whatever organisations and windows they touch.
 */
export class RedisLeaseStore implements LeaseStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: QuotaKey,
  ) {}

  async reserve(r: LeaseRequest): Promise<LeaseGrant> {
    const [granted, total] = (await this.redis.eval(RESERVE, 1, this.key(r.org, r.kind, r.windowId), r.want, r.limit, Math.ceil(r.expireAtMs))) as [number, number];
    return { granted: Number(granted), total: Number(total) };
  }

  async release(org: string, kind: WindowKind, windowId: number, units: number): Promise<void> {
    if (units <= 0) return;
    await this.redis.eval(RELEASE, 1, this.key(org, kind, windowId), units);
  }
}

/** The same counters in the in-process keyspace (embedded mode). */
export class MemoryLeaseStore implements LeaseStore {
  constructor(
    private readonly keyspace: MemoryKeyspace,
    private readonly key: QuotaKey,
  ) {}

  async reserve(r: LeaseRequest): Promise<LeaseGrant> {
    const key = this.key(r.org, r.kind, r.windowId);
    const used = this.keyspace.get<number>(key) ?? 0;
    const granted = Math.max(0, Math.min(r.want, r.limit - used));
    if (granted === 0) return { granted: 0, total: used };
    this.keyspace.set(key, used + granted, Math.ceil(r.expireAtMs));
    return { granted, total: used + granted };
  }

  async release(org: string, kind: WindowKind, windowId: number, units: number): Promise<void> {
    if (units <= 0) return;
    const key = this.key(org, kind, windowId);
    const used = this.keyspace.get<number>(key);
    if (used !== undefined) this.keyspace.set(key, Math.max(0, used - units), this.expiry(key));
  }

  private expiry(key: string): number {
    return this.keyspace.expiresAt(key) ?? this.keyspace.clock.nowMs();
  }
}

export function leaseStore(backend: SharedBackend, key: QuotaKey): LeaseStore {
  return backend.kind === 'memory' ? new MemoryLeaseStore(backend.keyspace, key) : new RedisLeaseStore(backend.client, key);
}
