import type { Redis } from 'ioredis';
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

const RELEASE = `
local v = redis.call('DECRBY', KEYS[1], ARGV[1])
if v < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
return v
`;

interface Queued {
  request: LeaseRequest;
  resolve: (grant: LeaseGrant) => void;
  reject: (error: unknown) => void;
}

/**
 * Window counters in Redis. Reservations made in the same tick (any organisations, any windows) go
 * out as one pipeline: one round trip however many leases need refilling.
 */
export class RedisLeaseStore implements LeaseStore {
  private queue: Queued[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly key: (org: string, kind: WindowKind, windowId: number) => string,
  ) {}

  reserve(request: LeaseRequest): Promise<LeaseGrant> {
    return new Promise<LeaseGrant>((resolve, reject) => {
      if (this.queue.push({ request, resolve, reject }) === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const pipeline = this.redis.pipeline();
    for (const { request: r } of batch) pipeline.eval(RESERVE, 1, this.key(r.org, r.kind, r.windowId), r.want, r.limit, Math.ceil(r.expireAtMs));
    pipeline.exec().then(
      (results) => {
        batch.forEach((item, i) => {
          const [error, value] = results?.[i] ?? [new Error('no reply'), null];
          if (error) item.reject(error);
          else {
            const [granted, total] = value as [number, number];
            item.resolve({ granted: Number(granted), total: Number(total) });
          }
        });
      },
      (error: unknown) => batch.forEach((item) => item.reject(error)),
    );
  }

  async release(org: string, kind: WindowKind, windowId: number, units: number): Promise<void> {
    if (units <= 0) return;
    await this.redis.eval(RELEASE, 1, this.key(org, kind, windowId), units);
  }
}
