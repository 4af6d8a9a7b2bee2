import { etagFor, ifNoneMatchHits, negotiateCoding, type CompressedBody } from '../render/compressed-body.js';
import type { Sized } from './body-cache.js';

/** A rendered body with what its HTTP answer needs. */
export interface ServedBody extends Sized {
  body: CompressedBody;
  contentType: string;
  /** Suggested file name (`Content-Disposition`), if any. */
  filename?: string;
  version: number;
  /** When the content last changed (HTTP dates have whole seconds). */
  lastModifiedMs: number;
  /** The server renders this body again from then on; caches may reuse it until then. */
  reuseUntilMs: number;
}

export interface ConditionalRequest {
  acceptEncoding?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export interface HttpAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Null for 304. */
  payload: Buffer | null;
}

/**
 * The answer for one request: the representation chosen by `Accept-Encoding`, or 304 when the
 * client's copy is current (`If-None-Match` wins over `If-Modified-Since`, RFC 9110 §13.2.2).
 * Views depend on who asks, so shared caches must not store them (`private`); `max-age` never
 * reaches past the moment the server would render the body again.
 */
export function answerFor(served: ServedBody, request: ConditionalRequest, nowMs: number, maxAgeSeconds: number): HttpAnswer {
  const coding = negotiateCoding(request.acceptEncoding);
  const remaining = Math.floor((served.reuseUntilMs - nowMs) / 1000);
  const maxAge = Math.max(0, Math.min(maxAgeSeconds, remaining));
  const headers: Record<string, string> = {
    etag: etagFor(served.body, coding),
    'last-modified': new Date(served.lastModifiedMs).toUTCString(),
    'cache-control': `private, max-age=${maxAge}`,
    vary: 'Accept-Encoding',
    'x-blocklist-version': String(served.version),
  };
  if (notModified(served, request)) return { status: 304, headers, payload: null };
  const payload = coding === 'identity' ? served.body.identity : served.body[coding];
  headers['content-type'] = served.contentType;
  headers['content-length'] = String(payload.length);
  if (coding !== 'identity') headers['content-encoding'] = coding;
  if (served.filename) headers['content-disposition'] = `inline; filename="${served.filename}"`;
  return { status: 200, headers, payload };
}

function notModified(served: ServedBody, request: ConditionalRequest): boolean {
  if (request.ifNoneMatch !== undefined) return ifNoneMatchHits(request.ifNoneMatch, served.body);
  if (request.ifModifiedSince === undefined) return false;
  const since = Date.parse(request.ifModifiedSince);
  return Number.isFinite(since) && Math.floor(served.lastModifiedMs / 1000) * 1000 <= since;
}
