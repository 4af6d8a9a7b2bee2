import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { findUnstorableText } from './storable-text.js';

/**
 * Path parameters, query parameters and the parsed JSON body of every request are checked for text
 * PostgreSQL cannot store (NUL, unpaired surrogates) before any guard, pipe or handler sees them:
 * 400 `invalid_characters` instead of a driver error deep in a repository.
 */
export function registerHostileInputHook(fastify: FastifyInstance): void {
  // Callback-style: no promise per request.
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const at =
      findUnstorableText(request.params, 'path') ?? findUnstorableText(request.query, 'query') ?? findUnstorableText(request.body, 'body');
    if (at === null) return done();
    done(
      new DomainError(ErrorCode.InvalidCharacters,
        `NUL characters and unpaired UTF-16 surrogates are not accepted (${at})`,
        [{ field: at, messages: ['must not contain NUL or unpaired UTF-16 surrogates'] }],
      ),
    );
  });
}
