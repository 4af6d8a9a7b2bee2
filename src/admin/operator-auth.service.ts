import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../common/crypto/password.js';
import { hashToken, secretMatches } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import { Clock } from '../infra/clock/clock.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { type OperatorRecord, type OperatorRoleName, OperatorsRepository, type SessionRecord } from './operators.repository.js';

export const SESSION_TTL_SECONDS = 8 * 3600;
/** Attempts per source address (all accounts) per 5 minutes. */
const ATTEMPTS_PER_ADDRESS = 20;

export interface OperatorSessionIssued {
  token: string;
  csrfToken: string;
  operator: OperatorRecord;
  expiresAt: Date;
}

/**
 * Operator accounts: password login, server-side sessions, CSRF tokens. Failed logins are throttled per
 * (account, source network) and slowed per account (LoginThrottleService), never locked: unknown
 * accounts, wrong passwords and disabled accounts all get the same 401, and the same 429 once throttled.
 */
@Injectable()
export class OperatorAuthService {
  constructor(
    private readonly operators: OperatorsRepository,
    private readonly limiter: RateLimiterService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async login(email: string, password: string, sourceAddress: string): Promise<OperatorSessionIssued> {
    const normalized = email.trim().toLowerCase();
    await this.limiter.enforce('operator-login-ip', sourceAddress, ATTEMPTS_PER_ADDRESS, 5 * 60_000, 'Too many login attempts from this address');
    await this.throttle.admit(normalized, sourceAddress);
    const operator = await this.operators.findByEmail(normalized);
    const valid = await verifyPassword(password, operator?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!operator || !valid || operator.disabled) {
      await this.throttle.recordFailure(normalized, sourceAddress);
      if (operator) await this.operators.recordFailure(operator.id);
      await this.audit.record(operator ? `operator:${operator.id}` : 'anonymous', 'operator.login_failed', null, operator ? null : { account: 'unknown' });
      throw DomainError.unauthorized('Wrong email or password', 'invalid_credentials');
    }
    await this.throttle.recordSuccess(normalized, sourceAddress);
    const now = this.clock.now();
    await this.operators.recordSuccess(operator.id, now);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
    await this.operators.createSession(operator.id, hashToken(token), csrfToken, expiresAt);
    await this.audit.record(`operator:${operator.id}`, 'operator.login', null, { role: operator.role });
    return { token, csrfToken, operator, expiresAt };
  }

  /** The operator and session behind a session token, or null when unknown/expired/disabled. */
  async resolve(token: string): Promise<{ operator: OperatorRecord; session: SessionRecord } | null> {
    const session = await this.operators.findSession(hashToken(token));
    if (!session || session.expiresAt <= this.clock.now()) return null;
    const operator = await this.operators.findById(session.operatorId);
    if (!operator || operator.disabled) return null;
    return { operator, session };
  }

  csrfMatches(session: SessionRecord, presented: string | undefined): boolean {
    return secretMatches(session.csrfToken, presented);
  }

  async logout(token: string, operatorId: string): Promise<void> {
    await this.operators.deleteSession(hashToken(token));
    await this.audit.record(`operator:${operatorId}`, 'operator.logout');
  }

  /**
   * Creates an operator; returns the password (generated when not given) to show once. Without an
   * organisation the operator is Quorum staff; with one, the operator acts on that organisation only
   * (docs/security.md, "Authorization").
   */
  async createOperator(email: string, role: OperatorRoleName, password?: string, organizationId: string | null = null): Promise<{ operator: OperatorRecord; password: string }> {
    const secret = password ?? randomBytes(15).toString('base64url');
    if (secret.length < 12) throw DomainError.badRequest('Operator passwords need at least 12 characters');
    const operator = await this.operators.create(email.trim().toLowerCase(), await hashPassword(secret), role, organizationId);
    await this.audit.record('system', 'operator.created', `operator:${operator.id}`, { role, organizationId });
    return { operator, password: secret };
  }
}
