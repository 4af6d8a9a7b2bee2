import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * High-entropy bearer secrets (enrollment keys, API keys): `<kind>_<prefix>_<secret>`. The prefix is
 * shown in listings; only a SHA-256 of the whole token is stored (the entropy makes a slow hash useless).
 */
export interface IssuedToken {
  token: string;
  prefix: string;
  hash: string;
}

export function issueToken(kind: string): IssuedToken {
  const prefix = randomBytes(6).toString('base64url');
  const secret = randomBytes(24).toString('base64url');
  const token = `${kind}_${prefix}_${secret}`;
  return { token, prefix: `${kind}_${prefix}`, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a stored secret (a CSRF token) with the one a request presents. */
export function secretMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
