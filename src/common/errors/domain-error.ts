import { ErrorCode } from './error-codes.js';

/** A failure the client can act on: mapped to an HTTP status and a stable code by the global filter. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badRequest(message: string, details?: unknown): DomainError {
    return new DomainError(400, ErrorCode.BadRequest, message, details);
  }
  static unauthorized(message = 'Authentication required', code: string = ErrorCode.Unauthorized): DomainError {
    return new DomainError(401, code, message);
  }
  static forbidden(message = 'Forbidden'): DomainError {
    return new DomainError(403, ErrorCode.Forbidden, message);
  }
  static notFound(message: string): DomainError {
    return new DomainError(404, ErrorCode.NotFound, message);
  }
  static conflict(message: string, code: string = ErrorCode.Conflict): DomainError {
    return new DomainError(409, code, message);
  }
  static tooManyRequests(message: string, retryAfterSeconds: number, code: string = ErrorCode.RateLimited): DomainError {
    return new DomainError(429, code, message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
  static unavailable(message: string): DomainError {
    return new DomainError(503, ErrorCode.ServiceUnavailable, message);
  }
}
