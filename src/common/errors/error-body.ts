import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { ERROR_STATUS, statusOf } from './error-catalogue.js';
import { ErrorCode } from './error-codes.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string;
  details?: unknown;
}

export interface MappedError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** Fastify's own error codes (body parsing, limits, routing) mapped to ours (statuses from ERROR_STATUS). */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: ErrorCode.PayloadTooLarge, message: 'Request body is larger than the limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: ErrorCode.UnsupportedMediaType, message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: ErrorCode.MalformedJson, message: 'Malformed JSON body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: ErrorCode.MalformedJson, message: 'Empty JSON body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: ErrorCode.BadRequest, message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_TYPE: { code: ErrorCode.UnsupportedMediaType, message: 'Missing content type' },
  Z_DATA_ERROR: { code: ErrorCode.MalformedBody, message: 'Request body is not valid gzip/deflate data' },
  Z_BUF_ERROR: { code: ErrorCode.MalformedBody, message: 'Request body is truncated gzip/deflate data' },
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  409: ErrorCode.Conflict,
  410: ErrorCode.Gone,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

function fromHttpException(error: HttpException): MappedError {
  const status = error.getStatus();
  const response = error.getResponse();
  let message = error.message;
  let code: string = STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest);
  let details: unknown;
  if (typeof response === 'object' && response !== null) {
    const body = response as Record<string, unknown>;
    if (typeof body.code === 'string') code = body.code;
    if (Array.isArray(body.message)) {
      details = body.message;
      message = body.message.join('; ');
    } else if (typeof body.message === 'string') {
      message = body.message;
    }
    if (body.details !== undefined) details = body.details;
  }
  if (status === HttpStatus.NOT_FOUND && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)) {
    code = ErrorCode.RouteNotFound;
    message = 'No route matches this method and path';
  }
  return { status, code, message, details };
}

// Prisma (P1001 unreachable, P1002/P1008 timeouts, P1017 closed, P2024 pool timeout) and socket errors:
// a dependency is down, the request may be retried.
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03']);

function isDependencyDown(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|ECONNREFUSED/.test(message);
}

// Prisma's interactive-transaction errors (P2028): the transaction could not start within `maxWait` or
// outlived `timeout` (src/infra/prisma/transaction-limits.ts). Nothing was committed; under load this is
// the database being busy, so the client is told to retry, never a 500.
function isTransactionTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return code === 'P2028' || /Unable to start a transaction in the given time/.test(message);
}

/**
 * Maps any thrown value to a status, a stable code and a client-safe message. `crowdsec`: the route
 * answers in CrowdSec's shape, whose statuses differ for a few codes (CROWDSEC_STATUS).
 */
export function mapError(error: unknown, crowdsec = false): MappedError {
  const unavailable = ERROR_STATUS[ErrorCode.ServiceUnavailable];
  if (isTransactionTimeout(error)) {
    return { status: unavailable, code: ErrorCode.ServiceUnavailable, message: 'The database is busy; nothing was changed, retry shortly', headers: { 'retry-after': '2' } };
  }
  if (isDependencyDown(error)) {
    return { status: unavailable, code: ErrorCode.ServiceUnavailable, message: 'A storage dependency is unavailable; retry shortly', headers: { 'retry-after': '5' } };
  }
  if (error instanceof DomainError) {
    return { status: statusOf(error.code, crowdsec), code: error.code, message: error.message, details: error.details, headers: error.headers };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  const known = typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined;
  if (known) return { status: ERROR_STATUS[known.code], ...known };
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const message = error instanceof Error ? error.message : 'Bad request';
    return { status: statusCode, code: STATUS_CODES[statusCode] ?? ErrorCode.BadRequest, message };
  }
  return { status: 500, code: ErrorCode.Internal, message: 'Internal server error' };
}
