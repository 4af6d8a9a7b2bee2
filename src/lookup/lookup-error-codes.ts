/** Error codes of lookups, API keys and the mirror feed (statuses: src/common/errors/error-catalogue.ts). */
export enum LookupErrorCode {
  InvalidCidr = 'invalid_cidr',
  /** more addresses in one bulk lookup than the plan allows */
  BulkTooLarge = 'bulk_too_large',
  InvalidApiKey = 'invalid_api_key',
  /** the key's organisation is suspended by an operator (docs/operators.md "Suspension") */
  OrganizationSuspended = 'organization_suspended',
  PlanRestricted = 'plan_restricted',
  IndexLoading = 'index_loading',
  MirrorUnavailable = 'mirror_unavailable',
  MirrorResync = 'mirror_resync',
}
