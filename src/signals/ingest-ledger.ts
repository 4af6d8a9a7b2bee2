import type { MemoryKeyspace } from '../infra/redis/memory-keyspace.js';
import type { RedisClient } from '../infra/redis/redis-client.js';
import type { SharedBackend } from '../infra/redis/shared-state.js';

/** The per-agent caps of the ingest gate (src/signals/ingest-gate.service.ts). */
export interface IngestCaps {
  /** token bucket refill, batches per second */
  readonly ratePerSecond: number;
  /** bucket size (batches at full weight) */
  readonly burst: number;
  /** batches accepted with weight 0 past an empty bucket before 429 */
  readonly overflow: number;
  readonly maxPerDay: number;
  readonly maxTargetsPerDay: number;
  readonly nonceTtlMs: number;
}

/** One agent's keys for one batch. On a cluster they share the agent's hash tag (one slot, one script). */
export interface IngestKeys {
  readonly nonce: string;
  readonly bucket: string;
  readonly day: string;
  readonly targets: string;
}

export type IngestVerdict =
  | { readonly kind: 'admitted'; readonly overRate: boolean; readonly admitted: boolean[] }
  | { readonly kind: 'replayed' }
  | { readonly kind: 'rate'; readonly retryMs: number }
  | { readonly kind: 'daily'; readonly retryMs: number };

/**
 * Replay, batch rate, daily cap and distinct-target budget of one batch, checked and taken atomically:
 * nothing is taken unless everything passes. `nowMs` is the request's clock reading; keys outlive
 * their day by an hour.
 */
export interface IngestLedger {
  pass(keys: IngestKeys, caps: IngestCaps, targets: readonly string[], nowMs: number): Promise<IngestVerdict>;
  /** Frees the nonce and uncounts the signals of a batch that could not be committed. */
  rollback(keys: IngestKeys, signals: number): Promise<void>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const msToDayEnd = (nowMs: number): number => DAY_MS - (nowMs % DAY_MS);

// The bucket (KEYS[2]) is the string "tokens:last refill ms"; it holds `burst` batches and refills at
// `rate` per second; a batch taken with less than one token left is still accepted but flagged
// (weight 0), until the debt reaches `overflow` batches: only then 429. CrowdSec 1.4.6 flushes its
// queue in back-to-back chunks of 50 and never retries a 429, so the bucket must absorb a whole flush.
// The nonce (KEYS[1]) holds its expiry (clock ms).
// Returns {0, overRate, admitted flags...} or {-1 rate, retry ms} / {-2 daily, ttl} / {-3 replay}.
const GATE = `
local now = tonumber(ARGV[4])
if (tonumber(redis.call('GET', KEYS[1]) or '0') or 0) > now then return {-3, 0} end
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local floor = -tonumber(ARGV[3])
local tokens = burst
local at = now
local bucket = redis.call('GET', KEYS[2])
if bucket then
  local sep = string.find(bucket, ':', 1, true)
  if sep then
    tokens = tonumber(string.sub(bucket, 1, sep - 1)) or burst
    at = tonumber(string.sub(bucket, sep + 1)) or now
  end
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
if tokens - 1 < floor then return {-1, math.ceil((floor + 1 - tokens) / rate)} end
local n = tonumber(ARGV[6])
local day = tonumber(redis.call('GET', KEYS[3]) or '0')
if day + n > tonumber(ARGV[5]) then return {-2, tonumber(ARGV[9])} end
local overRate = 0
if tokens < 1 then overRate = 1 end
tokens = tokens - 1
redis.call('SET', KEYS[2], tostring(tokens) .. ':' .. tostring(at), 'PX', math.ceil((burst - tokens) / rate) + 1000)
redis.call('SET', KEYS[1], string.format('%d', now + tonumber(ARGV[8])), 'PX', tonumber(ARGV[8]) + 60000)
redis.call('INCRBY', KEYS[3], n)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[9]) + 3600000)
local maxTargets = tonumber(ARGV[7])
local size = redis.call('SCARD', KEYS[4])
local out = {0, overRate}
for i = 10, #ARGV do
  local admitted = 0
  if redis.call('SISMEMBER', KEYS[4], ARGV[i]) == 1 then admitted = 1
  elseif size < maxTargets then redis.call('SADD', KEYS[4], ARGV[i]); size = size + 1; admitted = 1 end
  out[#out + 1] = admitted
end
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[9]) + 3600000)
return out
`;

export class RedisIngestLedger implements IngestLedger {
  constructor(private readonly client: RedisClient) {}

  async pass(keys: IngestKeys, caps: IngestCaps, targets: readonly string[], nowMs: number): Promise<IngestVerdict> {
    const result = (await this.client.eval(
      GATE,
      4,
      keys.nonce,
      keys.bucket,
      keys.day,
      keys.targets,
      caps.ratePerSecond,
      caps.burst,
      caps.overflow,
      nowMs,
      caps.maxPerDay,
      targets.length,
      caps.maxTargetsPerDay,
      caps.nonceTtlMs,
      msToDayEnd(nowMs),
      ...targets,
    )) as number[];
    if (result[0] === -3) return { kind: 'replayed' };
    if (result[0] === -1) return { kind: 'rate', retryMs: result[1] };
    if (result[0] === -2) return { kind: 'daily', retryMs: result[1] };
    return { kind: 'admitted', overRate: result[1] === 1, admitted: result.slice(2).map((v) => v === 1) };
  }

  async rollback(keys: IngestKeys, signals: number): Promise<void> {
    await this.client.multi().del(keys.nonce).decrby(keys.day, signals).exec();
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** The same ledger in the in-process keyspace (embedded mode); one process, so no interleaving. */
export class MemoryIngestLedger implements IngestLedger {
  constructor(private readonly keyspace: MemoryKeyspace) {}

  async pass(keys: IngestKeys, caps: IngestCaps, targets: readonly string[], nowMs: number): Promise<IngestVerdict> {
    const ks = this.keyspace;
    if (ks.get(keys.nonce, nowMs) !== undefined) return { kind: 'replayed' };
    const rate = caps.ratePerSecond / 1000;
    const floor = -caps.overflow;
    const stored = ks.get<Bucket>(keys.bucket, nowMs);
    let tokens = stored?.tokens ?? caps.burst;
    let at = stored?.at ?? nowMs;
    if (nowMs > at) {
      tokens = Math.min(caps.burst, tokens + (nowMs - at) * rate);
      at = nowMs;
    }
    if (tokens - 1 < floor) return { kind: 'rate', retryMs: Math.ceil((floor + 1 - tokens) / rate) };
    const dayEnd = msToDayEnd(nowMs);
    const day = ks.get<number>(keys.day, nowMs) ?? 0;
    if (day + targets.length > caps.maxPerDay) return { kind: 'daily', retryMs: dayEnd };
    const overRate = tokens < 1;
    tokens -= 1;
    ks.set(keys.bucket, { tokens, at }, nowMs + Math.ceil((caps.burst - tokens) / rate) + 1000);
    ks.set(keys.nonce, 1, nowMs + caps.nonceTtlMs);
    const keep = nowMs + dayEnd + HOUR_MS;
    ks.set(keys.day, day + targets.length, keep);
    const seen = ks.get<Set<string>>(keys.targets, nowMs) ?? new Set<string>();
    const admitted = targets.map((target) => {
      if (seen.has(target)) return true;
      if (seen.size < caps.maxTargetsPerDay) {
        seen.add(target);
        return true;
      }
      return false;
    });
    ks.set(keys.targets, seen, keep);
    return { kind: 'admitted', overRate, admitted };
  }

  async rollback(keys: IngestKeys, signals: number): Promise<void> {
    this.keyspace.delete(keys.nonce);
    const day = this.keyspace.get<number>(keys.day);
    if (day !== undefined) this.keyspace.set(keys.day, day - signals, this.keyspace.clock.nowMs() + msToDayEnd(this.keyspace.clock.nowMs()) + HOUR_MS);
  }
}

export function ingestLedger(backend: SharedBackend): IngestLedger {
  return backend.kind === 'memory' ? new MemoryIngestLedger(backend.keyspace) : new RedisIngestLedger(backend.client);
}
