import { Injectable } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service.js';
import { DomainError } from '../errors/domain-error.js';

/** Single-use tokens (login nonces), remembered for a period across API replicas. */
@Injectable()
export class NonceStore {
  constructor(private readonly redis: RedisService) {}

  /** True when the nonce was unused (and is now taken), false when already seen. */
  async claim(scope: string, subject: string, nonce: string, ttlMs: number): Promise<boolean> {
    try {
      return await this.redis.nonces.claim(this.redis.key('nonce', scope, subject, nonce), ttlMs);
    } catch {
      throw DomainError.unavailable('Replay protection is unavailable (Redis unreachable); retry shortly');
    }
  }

  /** Gives a nonce back when the request it guarded was not committed. */
  async release(scope: string, subject: string, nonce: string): Promise<void> {
    await this.redis.nonces.release(this.redis.key('nonce', scope, subject, nonce)).catch(() => undefined);
  }
}
