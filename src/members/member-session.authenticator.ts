import { Injectable } from '@nestjs/common';
import { type ResolvedSession, SessionCookieAuthenticator } from '../admin/sessions.js';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import { MemberAuthService } from './member-auth.service.js';

/** Distinct from the operator cookies (src/admin): a member session never authenticates an operator route. */
export const MEMBER_SESSION_COOKIE = 'quorum_member_session';
export const MEMBER_CSRF_COOKIE = 'quorum_member_csrf';

/** Customer members: an httpOnly session cookie, plus the CSRF token header on state-changing requests (src/admin/sessions.ts). */
@Injectable()
export class MemberSessionAuthenticator extends SessionCookieAuthenticator {
  readonly kind = 'member' as const;
  protected readonly cookieName = MEMBER_SESSION_COOKIE;

  constructor(
    registry: AuthenticatorRegistry,
    private readonly auth: MemberAuthService,
  ) {
    super(registry);
  }

  protected async resolveSession(token: string): Promise<ResolvedSession | null> {
    const resolved = await this.auth.resolve(token);
    if (!resolved) return null;
    const { member, session } = resolved;
    return { csrfToken: session.csrfToken, principal: { kind: 'member', memberId: member.id, role: member.role, organizationId: member.organizationId } };
  }
}
