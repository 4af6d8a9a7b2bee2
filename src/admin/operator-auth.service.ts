import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../common/crypto/password.js';
import { hashToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { matchTotp, newTotpSecret, otpauthUri } from '../members/totp.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { type OperatorRecord, type OperatorRoleName, OperatorsRepository, type SessionRecord } from './operators.repository.js';
import { newSession } from './sessions.js';

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
 * Operator accounts: password login, server-side sessions, CSRF tokens, TOTP two-factor sign-in.
 * Failed logins are throttled per (account, source network) and slowed per account
 * (LoginThrottleService), never locked: unknown accounts, wrong passwords and disabled accounts all get
 * the same 401, and the same 429 once throttled. In production (NODE_ENV=production) a staff operator
 * (no organisation) signs in only with a TOTP code: one without two-factor enrols first
 * (totpSetup/totpEnable, with the password), docs/security.md "Operator logins".
 */
@Injectable()
export class OperatorAuthService {
  constructor(
    private readonly operators: OperatorsRepository,
    private readonly limiter: RateLimiterService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Two-factor sign-in is mandatory for Quorum's own staff in production. */
  totpRequired(operator: Pick<OperatorRecord, 'organizationId'>): boolean {
    return this.config.env === 'production' && operator.organizationId === null;
  }

  /** The password step shared by login and TOTP enrolment: throttled, same 401 for every failure. */
  private async checkPassword(email: string, password: string, sourceAddress: string): Promise<OperatorRecord> {
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
    return operator;
  }

  private async acceptTotp(operator: OperatorRecord, code: string): Promise<boolean> {
    const step = operator.totpSecret ? matchTotp(operator.totpSecret, code, this.clock.nowMs(), null) : null;
    return step !== null && (await this.operators.useTotpStep(operator.id, step));
  }

  async login(email: string, password: string, sourceAddress: string, totpCode?: string): Promise<OperatorSessionIssued> {
    const operator = await this.checkPassword(email, password, sourceAddress);
    if (operator.totpEnabledAt) {
      if (!totpCode) throw DomainError.unauthorized('This account has two-factor authentication: send totp_code', 'totp_required');
      if (!(await this.acceptTotp(operator, totpCode))) {
        await this.throttle.recordFailure(operator.email, sourceAddress);
        await this.audit.record(`operator:${operator.id}`, 'operator.login_failed', null, { factor: 'totp' });
        throw DomainError.unauthorized('Wrong or already used two-factor code', 'invalid_totp');
      }
    } else if (this.totpRequired(operator)) {
      await this.audit.record(`operator:${operator.id}`, 'operator.login_refused', null, { reason: 'totp_enrolment_required' });
      throw new DomainError('totp_enrolment_required', 'Staff operators sign in with two-factor authentication: enrol first (POST /v1/admin/totp/setup, then /v1/admin/totp/enable)');
    }
    const now = this.clock.now();
    await this.operators.recordSuccess(operator.id, now);
    const session = newSession(now.getTime(), SESSION_TTL_SECONDS);
    await this.operators.createSession(operator.id, session.tokenHash, session.csrfToken, session.expiresAt);
    await this.audit.record(`operator:${operator.id}`, 'operator.login', null, { role: operator.role });
    return { token: session.token, csrfToken: session.csrfToken, operator, expiresAt: session.expiresAt };
  }

  /** Enrolment, step 1 (email and password, no session yet): a new secret shown once, pending until totpEnable. */
  async totpSetup(email: string, password: string, sourceAddress: string): Promise<{ secret: string; uri: string }> {
    const operator = await this.checkPassword(email, password, sourceAddress);
    const secret = newTotpSecret();
    if (!(await this.operators.setTotpSecret(operator.id, secret))) throw DomainError.conflict('Two-factor authentication is already enabled', 'totp_enabled');
    await this.audit.record(`operator:${operator.id}`, 'operator.totp_setup');
    return { secret, uri: otpauthUri(secret, operator.email) };
  }

  /** Enrolment, step 2: a code from the new secret proves the app has it; from then on login needs a code. */
  async totpEnable(email: string, password: string, code: string, sourceAddress: string): Promise<void> {
    const operator = await this.checkPassword(email, password, sourceAddress);
    if (!operator.totpSecret || operator.totpEnabledAt) throw DomainError.conflict('Start the setup first (POST /v1/admin/totp/setup)', 'totp_not_pending');
    if (!(await this.acceptTotp(operator, code))) throw DomainError.badRequest('Wrong two-factor code');
    await this.operators.enableTotp(operator.id, this.clock.now());
    await this.audit.record(`operator:${operator.id}`, 'operator.totp_enabled');
  }

  /** The operator and session behind a session token, or null when unknown/expired/disabled. */
  async resolve(token: string): Promise<{ operator: OperatorRecord; session: SessionRecord } | null> {
    const session = await this.operators.findSession(hashToken(token));
    if (!session || session.expiresAt <= this.clock.now()) return null;
    const operator = await this.operators.findById(session.operatorId);
    if (!operator || operator.disabled) return null;
    // a staff session made before two-factor became required does not outlive the rule
    if (this.totpRequired(operator) && !operator.totpEnabledAt) return null;
    return { operator, session };
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
  /** Deletes operator sessions expired by `now` (the hourly session-purge job, src/members/session-purge.service.ts). */
  purgeExpiredSessions(now: Date): Promise<number> {
    return this.operators.deleteExpiredSessions(now);
  }

  async createOperator(email: string, role: OperatorRoleName, password?: string, organizationId: string | null = null): Promise<{ operator: OperatorRecord; password: string }> {
    const secret = password ?? randomBytes(15).toString('base64url');
    if (secret.length < 12) throw DomainError.badRequest('Operator passwords need at least 12 characters');
    const operator = await this.operators.create(email.trim().toLowerCase(), await hashPassword(secret), role, organizationId);
    await this.audit.record('system', 'operator.created', `operator:${operator.id}`, { role, organizationId });
    return { operator, password: secret };
  }
}
