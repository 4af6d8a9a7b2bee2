import { Injectable } from '@nestjs/common';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import { OperatorAuthService } from './operator-auth.service.js';
import { type ResolvedSession, SessionCookieAuthenticator } from './sessions.js';

export { CSRF_HEADER } from './sessions.js';
export const SESSION_COOKIE = 'quorum_session';
export const CSRF_COOKIE = 'quorum_csrf';

/** Operators: an httpOnly session cookie, plus the CSRF token header on state-changing requests (src/admin/sessions.ts). */
@Injectable()
export class OperatorSessionAuthenticator extends SessionCookieAuthenticator {
  readonly kind = 'operator' as const;
  protected readonly cookieName = SESSION_COOKIE;

  constructor(
    registry: AuthenticatorRegistry,
    private readonly auth: OperatorAuthService,
  ) {
    super(registry);
  }

  protected async resolveSession(token: string): Promise<ResolvedSession | null> {
    const resolved = await this.auth.resolve(token);
    if (!resolved) return null;
    const { operator, session } = resolved;
    return { csrfToken: session.csrfToken, principal: { kind: 'operator', operatorId: operator.id, role: operator.role, organizationId: operator.organizationId } };
  }
}
