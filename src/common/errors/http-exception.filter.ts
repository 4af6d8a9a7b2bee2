import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorBody, mapError } from './error-body.js';

/** Errors raised by CrowdSec-compatible routes are answered in CrowdSec's own shape. */
export const CROWDSEC_ERROR_SHAPE = 'crowdsecErrorShape';

/**
 * Answers `exception` on `reply`: status, headers and body from mapError, `{statusCode, code, message,
 * requestId[, details]}` (or CrowdSec's `{message, errors}` on its routes); 5xx are logged, never
 * detailed. The one error answer of the service: the global filter and the fast lookup route
 * (src/lookup/fast-lookup-route.ts) both call it.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger: Logger): void {
  const crowdsec = (request as unknown as Record<string, unknown>)[CROWDSEC_ERROR_SHAPE] === true;
  const mapped = mapError(exception, crowdsec);
  if (mapped.status >= 500) {
    logger.error({ err: exception, requestId: request.id }, 'unhandled error');
  }
  if (reply.sent) return;
  for (const [name, value] of Object.entries(mapped.headers ?? {})) reply.header(name, value);
  if (crowdsec) {
    // CrowdSec's Go client decodes `errors` as a string.
    const errors = typeof mapped.details === 'string' ? mapped.details : mapped.details !== undefined ? mapped.message : mapped.code;
    void reply.status(mapped.status).send({ message: mapped.message, errors });
    return;
  }
  const body: ErrorBody = { statusCode: mapped.status, code: mapped.code, message: mapped.message, requestId: String(request.id) };
  if (mapped.details !== undefined) body.details = mapped.details;
  void reply.status(mapped.status).send(body);
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
