/**
 * The public API calls of the IP-holder pages: explain, delisting requests and privacy requests. No
 * account and no cookie: a request's id and token are the holder's only credentials, kept in this tab.
 */
import type { CreatedDelistingDto, CreatedIpRequestDto, DelistingDto, ExplainDto, PrivacyRequestDto, VerifiedIpRequestDto } from '../app/api-types.js';

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

// The answers' shapes come from the OpenAPI document (web/app/api-types.ts, generated).
export type Explanation = ExplainDto;
export type Delisting = DelistingDto;
export type CreatedDelisting = CreatedDelistingDto;
export type PrivacyRequest = PrivacyRequestDto;
export type CreatedPrivacyRequest = CreatedIpRequestDto;
export type VerifiedPrivacyRequest = VerifiedIpRequestDto;

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
