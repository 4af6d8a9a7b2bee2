import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { networkKey, parseIp } from '../common/ip/ip-address.js';
import { RedisService } from '../infra/redis/redis.service.js';

/** Failed logins allowed per (account, source /24 or /48) per window; the next attempt from there gets 429. */
export const SOURCE_FAILURES = 5;
/** Failed logins per account from all sources per window before every attempt on it is slowed down. */
export const ACCOUNT_FAILURES = 20;
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The delay added to each attempt on an account past ACCOUNT_FAILURES: a slowdown, never a lockout. */
export const ACCOUNT_DELAY_MS = 2_000;

/**
 * Operator login throttling that reveals nothing and locks nobody out (docs/security.md, "Authorization"):
 * counters are keyed by the submitted email whether or not such an account exists, so unknown and real
 * accounts get the same answers; a source network that keeps failing for one account is refused (429)
 * for that account only, so a stranger cannot lock the operator out from the operator's own network; and
 * a distributed guess against one account only slows every attempt on it down (ACCOUNT_DELAY_MS).
 * Keys hold hashes: neither emails nor addresses are stored in Redis.
 */
@Injectable()
export class LoginThrottleService {
  constructor(private readonly redis: RedisService) {}

  private keys(email: string, sourceAddress: string): { source: string; account: string } {
    const parsed = parseIp(sourceAddress);
    const network = parsed ? networkKey(parsed) : sourceAddress;
    const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);
    return { source: this.redis.key('login-fail', 'src', digest(`${email}\n${network}`)), account: this.redis.key('login-fail', 'acct', digest(email)) };
  }

  /** Throws 429 `login_throttled` when this network has failed too often for this account; else waits ACCOUNT_DELAY_MS when the account is slowed. */
  async admit(email: string, sourceAddress: string): Promise<void> {
    const keys = this.keys(email, sourceAddress);
    const [source, account] = await this.run(() => Promise.all([this.redis.windows.peek(keys.source), this.redis.windows.peek(keys.account)]));
    if (source.count >= SOURCE_FAILURES) {
      throw DomainError.tooManyRequests('Too many failed logins for this account from your network; retry later', Math.max(1, source.resetMs) / 1000, 'login_throttled');
    }
    if (account.count >= ACCOUNT_FAILURES) await new Promise((resolve) => setTimeout(resolve, ACCOUNT_DELAY_MS));
  }

  async recordFailure(email: string, sourceAddress: string): Promise<void> {
    const keys = this.keys(email, sourceAddress);
    // Two counters in two cluster slots: two single-key updates, not one script.
    await this.run(() => Promise.all([this.redis.windows.hit(keys.source, FAILURE_WINDOW_MS), this.redis.windows.hit(keys.account, FAILURE_WINDOW_MS)]));
  }

  /** The right password proves the account holder: its counters start again. */
  async recordSuccess(email: string, sourceAddress: string): Promise<void> {
    const keys = this.keys(email, sourceAddress);
    await this.run(() => Promise.all([this.redis.windows.clear(keys.source), this.redis.windows.clear(keys.account)]));
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch {
      throw DomainError.unavailable('Login throttling is unavailable (Redis unreachable); retry shortly');
    }
  }
}
