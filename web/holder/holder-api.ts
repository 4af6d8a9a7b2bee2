/**
 * The public API calls of the IP-holder pages: explain, delisting requests and privacy requests. No
 * account and no cookie: a request's id and token are the holder's only credentials, kept in this tab.
 */
export class HolderApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string | string[]; code?: string };
  if (!res.ok) throw new HolderApiError(res.status, data.code ?? String(res.status), Array.isArray(data.message) ? data.message.join('; ') : (data.message ?? `HTTP ${res.status}`));
  return data as T;
}

/** GET /v1/ip/{ip}/explain (public fields). */
export interface Explanation {
  ip: string;
  listed: boolean;
  listed_until: string | null;
  reason: string | null;
  reporters: string;
  scenario_classes: string[];
  behaviours?: string[];
  first_seen: string | null;
  last_seen: string | null;
  seen_by_sensors: boolean;
  missing: string[] | null;
}

export interface Delisting {
  id: string;
  ip: string;
  status: string;
  proof_method: string | null;
  created_at: string;
  verified_at: string | null;
  suppressed_until: string | null;
  decided_at: string | null;
}

export interface CreatedDelisting extends Delisting {
  token: string;
  proof_url: string;
  proof: {
    token_expires_at: string;
    serve_file: { urls: string[]; content: string; content_type: string; then: string };
    from_agent: { url: string; body: { token: string }; how: string };
    reasoned_review: { url: string; how: string };
  };
}

export interface PrivacyRequest {
  id: string;
  kind: string;
  status: string;
  created_at: string;
  closed_at: string | null;
  grounds: string | null;
}

export interface CreatedPrivacyRequest extends PrivacyRequest {
  token: string;
  proof_url: string;
}

export interface VerifiedPrivacyRequest extends PrivacyRequest {
  access: unknown;
}

const ip = (value: string): string => encodeURIComponent(value);

export const holder = {
  explain: (address: string) => call<Explanation>('GET', `/v1/ip/${ip(address)}/explain`),
  createDelisting: (address: string, reason?: string, contact?: string) =>
    call<CreatedDelisting>('POST', '/v1/delisting-requests', { ip: address, ...(reason ? { reason } : {}), ...(contact ? { contact } : {}) }),
  verifyDelisting: (id: string, token: string) => call<Delisting>('POST', `/v1/delisting-requests/${ip(id)}/verify`, { token }),
  askReview: (id: string, token: string, reason: string, contact?: string) =>
    call<Delisting>('POST', `/v1/delisting-requests/${ip(id)}/review-request`, { token, reason, ...(contact ? { contact } : {}) }),
  delisting: (id: string) => call<Delisting>('GET', `/v1/delisting-requests/${ip(id)}`),
  createPrivacy: (address: string, kind: 'access' | 'erasure' | 'objection') => call<CreatedPrivacyRequest>('POST', '/v1/privacy/ip-requests', { ip: address, kind }),
  verifyPrivacy: (id: string, token: string) => call<VerifiedPrivacyRequest>('POST', `/v1/privacy/ip-requests/${ip(id)}/verify`, { token }),
};
