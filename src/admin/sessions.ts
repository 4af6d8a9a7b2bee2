import { randomBytes } from 'node:crypto';
import type { OnModuleInit } from '@nestjs/common';
import type { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import type { Authenticator, Principal } from '../common/auth/principal.js';
import { hashToken, secretMatches } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { parseCookies } from './cookies.js';

/** Header carrying the CSRF token on state-changing requests (operators and members alike). */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A new server-side session: the token for the cookie (stored only as its hash) and the CSRF token. */
export interface NewSession {
  token: string;
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** The one place session secrets are made, for operators (src/admin) and members (src/members). */
export function newSession(nowMs: number, ttlSeconds: number): NewSession {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token), csrfToken: randomBytes(24).toString('base64url'), expiresAt: new Date(nowMs + ttlSeconds * 1000) };
}

/** A session found by its token, with the principal it stands for. */
export interface ResolvedSession {
  csrfToken: string;
  principal: Principal;
}

/**
 * A session cookie authenticator (docs/security.md, "Operator logins"): the httpOnly cookie names a
 * server-side session; a state-changing request must also carry the session's CSRF token in
 * `x-csrf-token`. Operators and members each extend it with their cookie name and session lookup.
 */
export abstract class SessionCookieAuthenticator implements Authenticator, OnModuleInit {
  abstract readonly kind: Authenticator['kind'];
  protected abstract readonly cookieName: string;

  protected constructor(private readonly registry: AuthenticatorRegistry) {}

  /** The live session behind a token, or null (unknown, expired, revoked). */
  protected abstract resolveSession(token: string): Promise<ResolvedSession | null>;

  onModuleInit(): void {
    this.registry.register(this);
  }

  async authenticate(request: { headers: Record<string, string | undefined>; method: string }): Promise<Principal | null> {
    const token = parseCookies(request.headers.cookie)[this.cookieName];
    if (!token) return null;
    const resolved = await this.resolveSession(token);
    if (!resolved) throw DomainError.unauthorized('Session expired: sign in again', 'session_expired');
    if (!SAFE_METHODS.has(request.method) && !secretMatches(resolved.csrfToken, request.headers[CSRF_HEADER])) {
      throw new DomainError('csrf_failed', 'Missing or wrong CSRF token');
    }
    return resolved.principal;
  }
}
