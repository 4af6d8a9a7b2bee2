/**
 * Calls to Quorum's member API with the session cookie and the CSRF header, typed by the schemas of the
 * OpenAPI document (api-types.ts, generated from openapi/openapi.json by scripts/build-admin.mjs --types).
 */
import type {
  AcceptedDto,
  AgentDto,
  AgentListDto,
  ApiKeyDto,
  ApiKeyListDto,
  CreatedApiKeyDto,
  CreatedEnrollmentKeyDto,
  DailyUsageDto,
  EnrollmentKeyListDto,
  InvitationResultDto,
  InvoiceListDto,
  MemberDto,
  MemberListDto,
  MemberSessionDto,
  OutboxDto,
  PendingInvitationListDto,
  PlanChangeDto,
  PortalMeDto,
  PublicPlanListDto,
  SessionUrlDto,
  SignUpResultDto,
  TotpSetupDto,
} from './api-types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

function csrfFromCookie(): string {
  const match = /(?:^|;\s*)quorum_member_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : '';
}

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf || csrfFromCookie();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: controller.signal });
  } catch {
    throw new ApiError(0, 'unreachable', 'The server could not be reached');
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { message?: string | string[]; code?: string };
  if (!res.ok) throw new ApiError(res.status, data.code ?? String(res.status), Array.isArray(data.message) ? data.message.join('; ') : (data.message ?? `HTTP ${res.status}`));
  return data as T;
}

const org = (id: string): string => `/v1/organizations/${encodeURIComponent(id)}`;

/** A CrowdSec bouncer key as /v1/organizations/{id}/crowdsec-bouncer-keys answers it (src/crowdsec/bouncer-keys.controller.ts). */
export interface BouncerKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_pull_at: string | null;
  key?: string;
}

export type Role = MemberDto['role'];
export type Scope = ApiKeyDto['scopes'][number];

export const portal = {
  signUp: (organization_name: string, email: string, password: string) => call<SignUpResultDto>('POST', '/v1/portal/signup', { organization_name, email, password }),
  verifyEmail: (token: string) => call<MemberDto>('POST', '/v1/portal/verify-email', { token }),
  resendVerification: (email: string) => call<AcceptedDto>('POST', '/v1/portal/verify-email/resend', { email }),
  async login(email: string, password: string, totp_code?: string): Promise<MemberSessionDto> {
    const session = await call<MemberSessionDto>('POST', '/v1/portal/login', { email, password, ...(totp_code ? { totp_code } : {}) });
    csrf = session.csrf_token;
    return session;
  },
  async logout(): Promise<void> {
    await call<void>('POST', '/v1/portal/logout');
    csrf = '';
  },
  me: () => call<PortalMeDto>('GET', '/v1/portal/me'),
  changePassword: (current_password: string, new_password: string) => call<void>('POST', '/v1/portal/password', { current_password, new_password }),
  requestReset: (email: string) => call<AcceptedDto>('POST', '/v1/portal/password-reset', { email }),
  confirmReset: (token: string, password: string) => call<void>('POST', '/v1/portal/password-reset/confirm', { token, password }),
  acceptInvitation: (token: string, password: string) => call<MemberDto>('POST', '/v1/portal/invitations/accept', { token, password }),
  totpSetup: () => call<TotpSetupDto>('POST', '/v1/portal/totp/setup'),
  totpEnable: (code: string) => call<void>('POST', '/v1/portal/totp/enable', { code }),
  totpDisable: (password: string, code: string) => call<void>('POST', '/v1/portal/totp/disable', { password, code }),
  outbox: () => call<OutboxDto>('GET', '/v1/portal/dev/outbox'),

  plans: () => call<PublicPlanListDto>('GET', '/v1/plans'),
  dailyUsage: (id: string, from: string, to: string) => call<DailyUsageDto>('GET', `${org(id)}/usage/daily?from=${from}&to=${to}`),
  apiKeys: (id: string) => call<ApiKeyListDto>('GET', `${org(id)}/api-keys`),
  createApiKey: (id: string, name: string, scopes: Scope[], expires_at?: string) => call<CreatedApiKeyDto>('POST', `${org(id)}/api-keys`, { name, scopes, ...(expires_at ? { expires_at } : {}) }),
  revokeApiKey: (id: string, keyId: string) => call<ApiKeyDto>('DELETE', `${org(id)}/api-keys/${encodeURIComponent(keyId)}`),

  // Stripe sends the customer back to this portal, at the address it was opened with
  checkout: (id: string, plan_id: string) =>
    call<SessionUrlDto>('POST', '/v1/billing/checkout', { organization_id: id, plan_id, success_url: `${location.origin}/app/#/billing/success`, cancel_url: `${location.origin}/app/#/billing/cancelled` }),
  changePlan: (id: string, plan_id: string) => call<PlanChangeDto>('POST', '/v1/billing/plan-change', { organization_id: id, plan_id }),
  billingPortal: (id: string) => call<SessionUrlDto>('POST', '/v1/billing/portal', { organization_id: id, return_url: `${location.origin}/app/#/billing` }),
  invoices: (id: string) => call<InvoiceListDto>('GET', `${org(id)}/invoices`),

  members: (id: string) => call<MemberListDto>('GET', `${org(id)}/members`),
  invitations: (id: string) => call<PendingInvitationListDto>('GET', `${org(id)}/members/invitations`),
  invite: (id: string, email: string, role: Role) => call<InvitationResultDto>('POST', `${org(id)}/members/invitations`, { email, role }),
  withdrawInvitation: (id: string, invitationId: string) => call<void>('DELETE', `${org(id)}/members/invitations/${encodeURIComponent(invitationId)}`),
  setRole: (id: string, memberId: string, role: Role) => call<MemberDto>('PUT', `${org(id)}/members/${encodeURIComponent(memberId)}/role`, { role }),
  removeMember: (id: string, memberId: string) => call<void>('DELETE', `${org(id)}/members/${encodeURIComponent(memberId)}`),

  agents: (id: string) => call<AgentListDto>('GET', `${org(id)}/agents`),
  revokeAgent: (agentId: string) => call<AgentDto>('POST', `/v1/agents/${encodeURIComponent(agentId)}/revoke`),
  enrollmentKeys: (id: string) => call<EnrollmentKeyListDto>('GET', `${org(id)}/enrollment-keys`),
  createEnrollmentKey: (id: string, name: string, ttl_days?: number) => call<CreatedEnrollmentKeyDto>('POST', `${org(id)}/enrollment-keys`, { name, ...(ttl_days ? { ttl_days } : {}) }),
  revokeEnrollmentKey: (id: string, keyId: string) => call<void>('DELETE', `${org(id)}/enrollment-keys/${encodeURIComponent(keyId)}`),
  bouncerKeys: (id: string) => call<BouncerKey[]>('GET', `${org(id)}/crowdsec-bouncer-keys`),
  createBouncerKey: (id: string, name: string) => call<BouncerKey>('POST', `${org(id)}/crowdsec-bouncer-keys`, { name }),
  revokeBouncerKey: (id: string, keyId: string) => call<void>('DELETE', `${org(id)}/crowdsec-bouncer-keys/${encodeURIComponent(keyId)}`),
};
