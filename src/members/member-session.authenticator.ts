import { Injectable, type OnModuleInit } from '@nestjs/common';
import { parseCookies } from '../admin/cookies.js';
import { CSRF_HEADER } from '../admin/operator-session.authenticator.js';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import type { Authenticator, Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { MemberAuthService } from './member-auth.service.js';

/** Distinct from the operator cookies (src/admin): a member session never authenticates an operator route. */
export const MEMBER_SESSION_COOKIE = 'quorum_member_session';
export const MEMBER_CSRF_COOKIE = 'quorum_member_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Customer members: an httpOnly session cookie, plus the CSRF token header (x-csrf-token) on state-changing requests. */
@Injectable()
export class MemberSessionAuthenticator implements Authenticator, OnModuleInit {
  readonly kind = 'member' as const;

  constructor(
    private readonly registry: AuthenticatorRegistry,
    private readonly auth: MemberAuthService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async authenticate(request: { headers: Record<string, string | undefined>; method: string }): Promise<Principal | null> {
    const token = parseCookies(request.headers.cookie)[MEMBER_SESSION_COOKIE];
    if (!token) return null;
    const resolved = await this.auth.resolve(token);
    if (!resolved) throw DomainError.unauthorized('Session expired: sign in again', 'session_expired');
    if (!SAFE_METHODS.has(request.method) && !this.auth.csrfMatches(resolved.session, request.headers[CSRF_HEADER])) {
      throw new DomainError(403, 'csrf_failed', 'Missing or wrong CSRF token');
    }
    return { kind: 'member', memberId: resolved.member.id, role: resolved.member.role, organizationId: resolved.member.organizationId };
  }
}
