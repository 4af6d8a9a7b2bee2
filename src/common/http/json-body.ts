import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES, scanJsonShape } from './json-shape.js';

export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer };

class BodyParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/**
 * The only body parser: JSON (any `application/json` or `+json` type), keeping the exact bytes as
 * `request.rawBody` for signature checks and webhooks. Other content types get 415. Depth and width
 * are bounded on the bytes before parsing (json-shape.ts): 400 `body_too_deep`, 413 beyond the values.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/([\w.-]+\+)?json$/i,
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      (request as RequestWithRawBody).rawBody = body;
      if (body.length === 0) {
        done(new BodyParseError('FST_ERR_CTP_EMPTY_JSON_BODY', 'Empty JSON body'));
        return;
      }
      const shape = scanJsonShape(body);
      if (shape.depth > MAX_JSON_DEPTH) {
        done(new DomainError(ErrorCode.BodyTooDeep, `JSON body nested deeper than ${MAX_JSON_DEPTH} levels`));
        return;
      }
      if (shape.values > MAX_JSON_VALUES) {
        done(new DomainError(ErrorCode.PayloadTooLarge, `JSON body holds more than ${MAX_JSON_VALUES} values`));
        return;
      }
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new BodyParseError('FST_ERR_CTP_INVALID_JSON_BODY', 'Malformed JSON body'));
      }
    },
  );
}
