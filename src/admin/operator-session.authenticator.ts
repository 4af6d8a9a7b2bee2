import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import type { Authenticator, Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { parseCookies } from './cookies.js';
import { OperatorAuthService } from './operator-auth.service.js';

export const SESSION_COOKIE = 'quorum_session';
export const CSRF_COOKIE = 'quorum_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Operators: an httpOnly session cookie, plus the CSRF token header on state-changing requests. */
@Injectable()
export class OperatorSessionAuthenticator implements Authenticator, OnModuleInit {
  readonly kind = 'operator' as const;

  constructor(
    private readonly registry: AuthenticatorRegistry,
    private readonly auth: OperatorAuthService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async authenticate(request: { headers: Record<string, string | undefined>; method: string }): Promise<Principal | null> {
    const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    if (!token) return null;
    const resolved = await this.auth.resolve(token);
    if (!resolved) throw DomainError.unauthorized('Session expired: log in again', 'session_expired');
    if (!SAFE_METHODS.has(request.method) && !this.auth.csrfMatches(resolved.session, request.headers[CSRF_HEADER])) {
      throw new DomainError(403, 'csrf_failed', 'Missing or wrong CSRF token');
    }
    return { kind: 'operator', operatorId: resolved.operator.id, role: resolved.operator.role, organizationId: resolved.operator.organizationId };
  }
}
