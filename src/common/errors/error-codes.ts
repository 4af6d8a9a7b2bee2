/** Stable, documented error codes of the native API (the `code` field of every error body). */
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
