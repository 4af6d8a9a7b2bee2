import { gunzipSync } from 'node:zlib';
import { compressBodySync } from '../render/compressed-body.js';
import { answerFor, type ServedBody } from './http-answer.js';

const now = Date.parse('2026-11-25T17:00:30.500Z');
const body = compressBodySync(Buffer.from('192.0.2.1\n198.51.100.0/24\n'.repeat(50)));
const served: ServedBody = {
  body,
  bytes: 0,
  contentType: 'text/plain; charset=utf-8',
  filename: 'quorum-blocklist-v3.txt',
  version: 3,
  lastModifiedMs: Date.parse('2026-11-25T17:00:00.750Z'),
  reuseUntilMs: now + 25_000,
};

describe('answerFor', () => {
  it('sends the negotiated coding with exact length, validators and cache headers', () => {
    const answer = answerFor(served, { acceptEncoding: 'gzip, deflate, br;q=0.5' }, now, 60);
    expect(answer.status).toBe(200);
    expect(gunzipSync(answer.payload!).equals(body.identity)).toBe(true);
    expect(answer.headers).toEqual({
      'content-type': 'text/plain; charset=utf-8',
      'content-encoding': 'gzip',
      'content-length': String(body.gzip.length),
      'content-disposition': 'inline; filename="quorum-blocklist-v3.txt"',
      etag: `${body.etag.slice(0, -1)}-gzip"`,
      'last-modified': 'Wed, 25 Nov 2026 17:00:00 GMT',
      'cache-control': 'private, max-age=25',
      vary: 'Accept-Encoding',
      'x-blocklist-version': '3',
    });
    expect(answerFor(served, {}, now, 60).payload).toBe(body.identity);
    expect(answerFor(served, {}, now, 10).headers['cache-control']).toBe('private, max-age=10');
    expect(answerFor(served, {}, now + 60_000, 60).headers['cache-control']).toBe('private, max-age=0');
  });

  it('answers 304 to a matching If-None-Match (any coding of this body, weak or strong)', () => {
    for (const tag of [body.etag, `W/${body.etag}`, `"other", ${body.etag.slice(0, -1)}-br"`, '*']) {
      const answer = answerFor(served, { ifNoneMatch: tag, acceptEncoding: 'br' }, now, 60);
      expect(answer.status).toBe(304);
      expect(answer.payload).toBeNull();
      expect(answer.headers.etag).toBe(`${body.etag.slice(0, -1)}-br"`);
      expect(answer.headers['content-length']).toBeUndefined();
    }
    expect(answerFor(served, { ifNoneMatch: '"stale"' }, now, 60).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified, unless If-None-Match is present', () => {
    expect(answerFor(served, { ifModifiedSince: 'Wed, 25 Nov 2026 17:00:00 GMT' }, now, 60).status).toBe(304);
    expect(answerFor(served, { ifModifiedSince: 'Wed, 25 Nov 2026 16:59:59 GMT' }, now, 60).status).toBe(200);
    expect(answerFor(served, { ifModifiedSince: 'garbage' }, now, 60).status).toBe(200);
    expect(answerFor(served, { ifModifiedSince: 'Wed, 25 Nov 2026 18:00:00 GMT', ifNoneMatch: '"stale"' }, now, 60).status).toBe(200);
  });
});
