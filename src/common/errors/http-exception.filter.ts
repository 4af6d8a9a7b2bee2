import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorBody, mapError } from './error-body.js';

/** Errors raised by CrowdSec-compatible routes are answered in CrowdSec's own shape. */
export const CROWDSEC_ERROR_SHAPE = 'crowdsecErrorShape';

/** An error answer: its status, headers and JSON body (the body not yet serialised). */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody | { message: string; errors: string };
}

/**
 * The error answer for `exception`: status, headers and body from mapError, `{statusCode, code,
 * message, requestId[, details]}` (or CrowdSec's `{message, errors}` on its routes). 5xx are logged,
 * never detailed. The one error answer of the service: the global filter, the fast lookup route's
 * Fastify handler (sendError) and its front-door handler (src/lookup/fast-lookup-route.ts) use it.
 */
export function errorAnswer(exception: unknown, crowdsec: boolean, requestId: string, logger: Logger): ErrorAnswer {
  const mapped = mapError(exception, crowdsec);
  if (mapped.status >= 500) {
    logger.error({ err: exception, requestId }, 'unhandled error');
  }
  const headers = mapped.headers ?? {};
  if (crowdsec) {
    // CrowdSec's Go client decodes `errors` as a string.
    const errors = typeof mapped.details === 'string' ? mapped.details : mapped.details !== undefined ? mapped.message : mapped.code;
    return { status: mapped.status, headers, body: { message: mapped.message, errors } };
  }
  const body: ErrorBody = { statusCode: mapped.status, code: mapped.code, message: mapped.message, requestId };
  if (mapped.details !== undefined) body.details = mapped.details;
  return { status: mapped.status, headers, body };
}

/** Answers `exception` on `reply` with its errorAnswer (nothing when the reply was already sent). */
export function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger: Logger): void {
  const crowdsec = (request as unknown as Record<string, unknown>)[CROWDSEC_ERROR_SHAPE] === true;
  const answer = errorAnswer(exception, crowdsec, String(request.id), logger);
  if (reply.sent) return;
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  void reply.status(answer.status).send(answer.body);
}

/** The one place where exceptions of Nest routes become HTTP answers. Unknown errors: logged, 500, no internals. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GlobalExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception, this.logger);
  }
}
