import type { FastifyInstance, FastifyRequest } from 'fastify';

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
 * `request.rawBody` for signature checks and webhooks. Other content types get 415.
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
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch {
        done(new BodyParseError('FST_ERR_CTP_INVALID_JSON_BODY', 'Malformed JSON body'));
      }
    },
  );
}
