import { AdminErrorCode } from '../../admin/admin-error-codes.js';
import { AgentsErrorCode } from '../../agents/agents-error-codes.js';
import { BillingErrorCode } from '../../billing/billing-error-codes.js';
import { BlocklistErrorCode } from '../../blocklist/blocklist-error-codes.js';
import { ConsensusErrorCode } from '../../consensus/consensus-error-codes.js';
import { CrowdsecErrorCode } from '../../crowdsec/crowdsec-error-codes.js';
import { LookupErrorCode } from '../../lookup/lookup-error-codes.js';
import { MembersErrorCode } from '../../members/members-error-codes.js';
import { PrivacyErrorCode } from '../../privacy/privacy-error-codes.js';
import { SignalsErrorCode } from '../../signals/signals-error-codes.js';
import { ErrorCode } from './error-codes.js';

/** Every error enum of the service, by the domain that declares it. */
export const ERROR_ENUMS = {
  common: ErrorCode,
  admin: AdminErrorCode,
  agents: AgentsErrorCode,
  billing: BillingErrorCode,
  blocklist: BlocklistErrorCode,
  consensus: ConsensusErrorCode,
  crowdsec: CrowdsecErrorCode,
  lookup: LookupErrorCode,
  members: MembersErrorCode,
  privacy: PrivacyErrorCode,
  signals: SignalsErrorCode,
} as const;

/** Any code of any domain, as an enum member or its string value (a literal that is no code does not compile). */
export type AnyErrorCode =
  | `${ErrorCode}`
  | `${AdminErrorCode}`
  | `${AgentsErrorCode}`
  | `${BillingErrorCode}`
  | `${BlocklistErrorCode}`
  | `${ConsensusErrorCode}`
  | `${CrowdsecErrorCode}`
  | `${LookupErrorCode}`
  | `${MembersErrorCode}`
  | `${PrivacyErrorCode}`
  | `${SignalsErrorCode}`;

/**
 * The HTTP status of every code: the one table the exception filter maps with (domain errors carry no
 * status). A code missing here does not compile; src/common/errors/error-catalogue.spec.ts also checks
 * that each code is in the documented list (docs/architecture.md "Errors").
 */
export const ERROR_STATUS: Readonly<Record<AnyErrorCode, number>> = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  malformed_body: 400,
  body_too_deep: 400,
  invalid_characters: 400,
  unsupported_media_type: 415,
  unsupported_content_encoding: 415,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_token: 401,
  invalid_signature: 401,
  invalid_credentials: 401,
  session_expired: 401,
  csrf_failed: 403,
  totp_required: 401,
  invalid_totp: 401,
  totp_enabled: 409,
  totp_not_pending: 409,
  stale_timestamp: 401,
  invalid_ip: 400,
  reserved_ip: 400,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  replayed_nonce: 409,
  gone: 410,
  rate_limited: 429,
  quota_exhausted: 429,
  service_unavailable: 503,
  internal_error: 500,
  // admin
  totp_enrolment_required: 403,
  login_throttled: 429,
  // agents
  invalid_public_key: 400,
  invalid_enroll_key: 403,
  enroll_key_required: 401,
  machine_id_taken: 409,
  invalid_timestamp: 400,
  enrollment_limited: 429,
  agent_inactive: 401,
  // billing
  checkout_in_progress: 409,
  no_subscription: 409,
  plan_unchanged: 409,
  subscription_active: 409,
  // blocklist
  cursor_expired: 410,
  // consensus
  proof_not_found: 422,
  proof_wrong_source: 422,
  // crowdsec
  unusable_metrics: 422,
  // lookup
  invalid_cidr: 400,
  bulk_too_large: 400,
  invalid_api_key: 401,
  organization_suspended: 403,
  plan_restricted: 402,
  index_loading: 503,
  mirror_unavailable: 503,
  mirror_resync: 410,
  // members
  email_taken: 409,
  email_not_verified: 403,
  totp_not_enabled: 409,
  last_owner: 409,
  outbox_disabled: 404,
  // privacy
  proof_not_served: 403,
  // signals
  daily_cap_reached: 429,
};

/**
 * CrowdSec's API answers refused credentials and registrations with 403 where Quorum's own routes say
 * 401 or 409; on routes answered in CrowdSec's shape (CROWDSEC_ERROR_SHAPE) these statuses win.
 */
export const CROWDSEC_STATUS: Readonly<Partial<Record<AnyErrorCode, number>>> = {
  invalid_credentials: 403,
  agent_inactive: 403,
  enroll_key_required: 403,
  machine_id_taken: 403,
};

/** The status of a code; 500 for a string that is no code (only reachable through unchecked casts). */
export function statusOf(code: string, crowdsec = false): number {
  return (crowdsec ? CROWDSEC_STATUS[code as AnyErrorCode] : undefined) ?? ERROR_STATUS[code as AnyErrorCode] ?? 500;
}
