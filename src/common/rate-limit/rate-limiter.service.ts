import { Injectable } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service.js';
import { DomainError } from '../errors/domain-error.js';

export interface WindowResult {
  allowed: boolean;
  count: number;
  limit: number;
  /** ms until the window resets */
  resetMs: number;
}

// INCR the counter, set its expiry on first hit, return count and remaining ttl in one round trip.
const FIXED_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

/** Redis-backed counters, so limits hold across API replicas. */
@Injectable()
export class RateLimiterService {
  constructor(private readonly redis: RedisService) {}

  /** Counts one hit in a fixed window; `allowed` is false once the limit is passed. */
  async hit(name: string, subject: string, limit: number, windowMs: number): Promise<WindowResult> {
    let result: [number, number];
    try {
      result = (await this.redis.client.eval(FIXED_WINDOW, 1, this.redis.key('rl', name, subject), windowMs)) as [number, number];
    } catch {
      throw DomainError.unavailable('Rate limiting is unavailable (Redis unreachable); retry shortly');
    }
    const [count, ttl] = result;
    return { allowed: count <= limit, count, limit, resetMs: ttl };
  }

  /** Throws a 429 with Retry-After when the window is exhausted. */
  async enforce(name: string, subject: string, limit: number, windowMs: number, message: string): Promise<void> {
    const result = await this.hit(name, subject, limit, windowMs);
    if (!result.allowed) throw DomainError.tooManyRequests(message, result.resetMs / 1000);
  }
}
