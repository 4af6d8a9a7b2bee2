import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { RedisService } from '../infra/redis/redis.service.js';

const NONCE_TTL_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

// One round trip per batch: replayed nonce, batch rate, daily signal cap, then (only if all pass)
// take the nonce, count the signals and admit targets into the daily distinct-target budget.
// Returns {0, admitted flags...} or {-1 rate, ttl} / {-2 daily, ttl} / {-3 replay}.
const GATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {-3, 0} end
local batches = redis.call('INCR', KEYS[2])
if batches == 1 then redis.call('PEXPIRE', KEYS[2], 1000) end
if batches > tonumber(ARGV[1]) then return {-1, redis.call('PTTL', KEYS[2])} end
local n = tonumber(ARGV[3])
local day = tonumber(redis.call('GET', KEYS[3]) or '0')
if day + n > tonumber(ARGV[2]) then return {-2, tonumber(ARGV[6])} end
redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[5]))
redis.call('INCRBY', KEYS[3], n)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[6]) + 3600000)
local maxTargets = tonumber(ARGV[4])
local size = redis.call('SCARD', KEYS[4])
local out = {0}
for i = 7, #ARGV do
  local admitted = 0
  if redis.call('SISMEMBER', KEYS[4], ARGV[i]) == 1 then admitted = 1
  elseif size < maxTargets then redis.call('SADD', KEYS[4], ARGV[i]); size = size + 1; admitted = 1 end
  out[#out + 1] = admitted
end
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[6]) + 3600000)
return out
`;

export interface GateTicket {
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
      this.redis.key('ingest', 'rate', agentId, String(Math.floor(nowMs / 1000))),
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
    if (result[0] === -3) throw DomainError.conflict('This batch nonce was already used in the last 24 hours', ErrorCode.ReplayedNonce);
    if (result[0] === -1) throw DomainError.tooManyRequests(`More than ${caps.maxBatchesPerSecond} batches per second`, result[1] / 1000);
    if (result[0] === -2) throw DomainError.tooManyRequests(`Daily cap of ${caps.maxPerDay} signals reached`, result[1] / 1000, 'daily_cap_reached');
    return {
      admitted: result.slice(1).map((v) => v === 1),
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
