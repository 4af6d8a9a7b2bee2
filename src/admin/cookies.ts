/** Minimal cookie handling (no dependency): parse a Cookie header, serialise a Set-Cookie value. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  httpOnly: boolean;
  secure: boolean;
  path?: string;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`, `Max-Age=${options.maxAgeSeconds}`, 'SameSite=Strict'];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Session cookies carry Secure when the request came over HTTPS or the public URL is HTTPS. */
export function cookiesSecure(request: { protocol: string }, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || (publicUrl ?? '').startsWith('https:');
}

/**
 * The Set-Cookie pair of a server-side session (operators and members, each with its own names): the
 * httpOnly session token and the CSRF token the page reads. Empty values with `maxAgeSeconds` 0 clear both.
 */
export function sessionCookies(
  names: { session: string; csrf: string },
  tokens: { token: string; csrfToken: string },
  maxAgeSeconds: number,
  secure: boolean,
): string[] {
  return [
    serializeCookie(names.session, tokens.token, { maxAgeSeconds, httpOnly: true, secure }),
    serializeCookie(names.csrf, tokens.csrfToken, { maxAgeSeconds, httpOnly: false, secure }),
  ];
}
