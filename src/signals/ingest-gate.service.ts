import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { RedisService } from '../infra/redis/redis.service.js';

const NONCE_TTL_MS = 24 * 3_600_000;
export const REPLAYED_NONCE_MESSAGE = 'This batch nonce was already used in the last 24 hours';
const DAY_MS = 86_400_000;

// One round trip per batch: replayed nonce, batch rate (token bucket), daily signal cap, then (only
// if all pass) take the nonce and a token, count the signals and admit targets into the daily
// distinct-target budget.
// The bucket (KEYS[2]: the string "tokens:last refill ms", a plain string so the embedded Redis
// runs it too) holds `burst` batches and refills at `rate` per
// second; a batch taken with less than one token left is still accepted but flagged (weight 0),
// until the debt reaches `overflow` batches: only then 429. CrowdSec 1.4.6 flushes its queue in
// back-to-back chunks of 50 and never retries a 429, so the bucket must absorb a whole flush.
// Returns {0, overRate, admitted flags...} or {-1 rate, retry ms} / {-2 daily, ttl} / {-3 replay}.
const GATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {-3, 0} end
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local floor = -tonumber(ARGV[3])
local now = tonumber(ARGV[4])
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
redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[8]))
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

export interface GateTicket {
  /** the agent's bucket was empty: the batch is stored, but weighs nothing for consensus */
  overRate: boolean;
  /** per target (same order as given): counts toward the distinct-target budget */
  admitted: boolean[];
  /** undo the counters and free the nonce when the batch could not be committed */
  rollback(): Promise<void>;
}

/** The Redis side of the ingest gate (consensus.md §3.1): replay, rate caps, target budget. */
@Injectable()
export class IngestGateService {
  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async pass(agentId: string, nonce: string, targets: string[], nowMs: number): Promise<GateTicket> {
    const caps = this.config.signals;
    const day = new Date(nowMs).toISOString().slice(0, 10);
    const keys = [
      this.redis.key('nonce', 'batch', agentId, nonce),
      this.redis.key('ingest', 'bucket', agentId),
      this.redis.key('ingest', 'day', agentId, day),
      this.redis.key('ingest', 'targets', agentId, day),
    ];
    const msToDayEnd = DAY_MS - (nowMs % DAY_MS);
    let result: number[];
    try {
      result = (await this.redis.client.eval(
        GATE,
        keys.length,
        ...keys,
        caps.maxBatchesPerSecond,
        caps.burstBatches,
        caps.overflowBatches,
        nowMs,
        caps.maxPerDay,
        targets.length,
        caps.maxTargetsPerDay,
        NONCE_TTL_MS,
        msToDayEnd,
        ...targets,
      )) as number[];
    } catch {
      throw DomainError.unavailable('Signal ingestion is unavailable (Redis unreachable); retry shortly');
    }
    if (result[0] === -3) throw DomainError.conflict(REPLAYED_NONCE_MESSAGE, ErrorCode.ReplayedNonce);
    if (result[0] === -1) {
      throw DomainError.tooManyRequests(
        `Batch rate exceeded: ${caps.burstBatches + caps.overflowBatches} batches in a burst, then ${caps.maxBatchesPerSecond} per second`,
        result[1] / 1000,
      );
    }
    if (result[0] === -2) throw DomainError.tooManyRequests(`Daily cap of ${caps.maxPerDay} signals reached`, result[1] / 1000, 'daily_cap_reached');
    return {
      overRate: result[1] === 1,
      admitted: result.slice(2).map((v) => v === 1),
      rollback: async () => {
        await this.redis.client
          .multi()
          .del(keys[0])
          .decrby(keys[2], targets.length)
          .exec()
          .catch(() => undefined);
      },
    };
  }
}
