import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';

type Payload = NodeJS.ReadableStream & { receivedEncodedLength?: number };

/**
 * Accepts `Content-Encoding: gzip` (and deflate) request bodies, as CrowdSec engines send.
 * The body limit applies to the decompressed bytes, so a small bomb cannot expand past it.
 */
export function registerRequestDecompression(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload: Payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding !== 'gzip' && encoding !== 'deflate' && encoding !== 'x-gzip') {
      throw new DomainError(ErrorCode.UnsupportedContentEncoding, `Unsupported Content-Encoding "${encoding}"`);
    }
    const decoder = encoding === 'deflate' ? createInflate() : createGunzip();
    const out = payload.pipe(decoder) as unknown as Payload;
    decoder.on('error', () => undefined);
    delete request.headers['content-length'];
    payload.on('end', () => {
      out.receivedEncodedLength = (payload as Payload).receivedEncodedLength;
    });
    return out;
  });
}
