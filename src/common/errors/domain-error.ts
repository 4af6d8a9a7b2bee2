import type { AnyErrorCode } from './error-catalogue.js';
import { ErrorCode } from './error-codes.js';

/**
 * A failure the client can act on: a stable code (one of the enums gathered in error-catalogue.ts), a
 * message, optional details and headers. It carries no HTTP status: the exception filter maps the code
 * to one (ERROR_STATUS), so a code always answers with the same status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: AnyErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badRequest(message: string, details?: unknown): DomainError {
    return new DomainError(ErrorCode.BadRequest, message, details);
  }
  static unauthorized(message = 'Authentication required', code: AnyErrorCode = ErrorCode.Unauthorized): DomainError {
    return new DomainError(code, message);
  }
  static forbidden(message = 'Forbidden'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }
  static notFound(message: string): DomainError {
    return new DomainError(ErrorCode.NotFound, message);
  }
  static conflict(message: string, code: AnyErrorCode = ErrorCode.Conflict): DomainError {
    return new DomainError(code, message);
  }
  static tooManyRequests(message: string, retryAfterSeconds: number, code: AnyErrorCode = ErrorCode.RateLimited): DomainError {
    return new DomainError(code, message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
  static unavailable(message: string): DomainError {
    return new DomainError(ErrorCode.ServiceUnavailable, message);
  }
}
