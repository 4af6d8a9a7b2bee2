/**
 * Error codes of the HTTP layer and those shared by several domains (the `code` field of every error
 * body). Each domain declares its own codes in one enum next to its code (`*-error-codes.ts`); all of them
 * are gathered, with their HTTP status, in src/common/errors/error-catalogue.ts and listed in
 * docs/architecture.md "Errors" (the stable, documented list).
 */
export enum ErrorCode {
  BadRequest = 'bad_request',
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  MalformedBody = 'malformed_body',
  /** a JSON body nested deeper than MAX_JSON_DEPTH (src/common/http/json-shape.ts) */
  BodyTooDeep = 'body_too_deep',
  /** NUL or an unpaired UTF-16 surrogate in a body, path or query value (PostgreSQL cannot store them) */
  InvalidCharacters = 'invalid_characters',
  UnsupportedMediaType = 'unsupported_media_type',
  UnsupportedContentEncoding = 'unsupported_content_encoding',
  PayloadTooLarge = 'payload_too_large',
  Unauthorized = 'unauthorized',
  InvalidToken = 'invalid_token',
  InvalidSignature = 'invalid_signature',
  /** a wrong login (agents, operators, members), an unknown account included */
  InvalidCredentials = 'invalid_credentials',
  /** a session cookie that is unknown, expired or ended */
  SessionExpired = 'session_expired',
  /** a session write without the matching `x-csrf-token` */
  CsrfFailed = 'csrf_failed',
  /** an account with two-factor sign-in logged in without `totp_code` */
  TotpRequired = 'totp_required',
  InvalidTotp = 'invalid_totp',
  TotpEnabled = 'totp_enabled',
  TotpNotPending = 'totp_not_pending',
  /** a signed request whose clock reading is outside the allowed skew */
  StaleTimestamp = 'stale_timestamp',
  /** an address that is neither IPv4 nor IPv6 text */
  InvalidIp = 'invalid_ip',
  /** a special-purpose address (never listed nor stored) */
  ReservedIp = 'reserved_ip',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  RouteNotFound = 'route_not_found',
  MethodNotAllowed = 'method_not_allowed',
  Conflict = 'conflict',
  ReplayedNonce = 'replayed_nonce',
  Gone = 'gone',
  RateLimited = 'rate_limited',
  QuotaExhausted = 'quota_exhausted',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}
