import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest, RequestPayload } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';

type Payload = RequestPayload & { receivedEncodedLength?: number };

/**
 * Accepts `Content-Encoding: gzip` (and deflate) request bodies, as CrowdSec engines send.
 * The body limit applies to the decompressed bytes, so a small bomb cannot expand past it.
 */
export function registerRequestDecompression(fastify: FastifyInstance): void {
  // Callback-style: no promise per request (most requests carry no body, and no encoding).
  fastify.addHook('preParsing', (request: FastifyRequest, _reply, payload: Payload, done) => {
    const header = request.headers['content-encoding'];
    if (header === undefined) return done(null, payload);
    const encoding = String(header).trim().toLowerCase();
    if (encoding === 'identity' || encoding === '') return done(null, payload);
    if (encoding !== 'gzip' && encoding !== 'deflate' && encoding !== 'x-gzip') {
      return done(new DomainError(ErrorCode.UnsupportedContentEncoding, `Unsupported Content-Encoding "${encoding}"`));
    }
    const decoder = encoding === 'deflate' ? createInflate() : createGunzip();
    const out = payload.pipe(decoder) as unknown as Payload;
    decoder.on('error', () => undefined);
    delete request.headers['content-length'];
    payload.on('end', () => {
      out.receivedEncodedLength = (payload as Payload).receivedEncodedLength;
    });
    done(null, out);
  });
}
