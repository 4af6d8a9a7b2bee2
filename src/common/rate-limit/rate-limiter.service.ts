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

/** Fixed-window counters in the shared state (src/infra/redis), so limits hold across API replicas. */
@Injectable()
export class RateLimiterService {
  constructor(private readonly redis: RedisService) {}

  /** Counts one hit in a fixed window; `allowed` is false once the limit is passed. */
  async hit(name: string, subject: string, limit: number, windowMs: number): Promise<WindowResult> {
    let result: { count: number; resetMs: number };
    try {
      result = await this.redis.windows.hit(this.redis.key('rl', name, subject), windowMs);
    } catch {
      throw DomainError.unavailable('Rate limiting is unavailable (Redis unreachable); retry shortly');
    }
    return { allowed: result.count <= limit, count: result.count, limit, resetMs: result.resetMs };
  }

  /** Throws a 429 with Retry-After when the window is exhausted. */
  async enforce(name: string, subject: string, limit: number, windowMs: number, message: string): Promise<void> {
    const result = await this.hit(name, subject, limit, windowMs);
    if (!result.allowed) throw DomainError.tooManyRequests(message, result.resetMs / 1000);
  }
}
