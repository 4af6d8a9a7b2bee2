/** Calls to Quorum's /v1/admin/* JSON API with the session cookie and the CSRF header. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

let csrf = '';

function csrfFromCookie(): string {
  const match = /(?:^|;\s*)quorum_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : '';
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf || csrfFromCookie();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: controller.signal });
  } catch {
    throw new ApiError(0, 'The server could not be reached');
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new ApiError(res.status, data.message ?? `HTTP ${res.status}`);
  return data as T;
}

/** `totpCode`: the six digits of an operator with two-factor sign-in (mandatory for staff in production). */
export async function login(email: string, password: string, totpCode = ''): Promise<{ operator: { email: string; role: string } }> {
  const session = await api<{ csrf_token: string; operator: { email: string; role: string } }>('POST', '/v1/admin/login', { email, password, ...(totpCode ? { totp_code: totpCode } : {}) });
  csrf = session.csrf_token;
  return session;
}

export async function logout(): Promise<void> {
  await api('POST', '/v1/admin/logout');
  csrf = '';
}
