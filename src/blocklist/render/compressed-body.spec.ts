import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressBody, compressBodySync, etagFor, ifNoneMatchHits, negotiateCoding } from './compressed-body.js';
import { renderTxt } from './txt.js';
import type { BlocklistEntry } from './types.js';

function body(count: number, salt = 0): Buffer {
  const entries: BlocklistEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      value: `${1 + ((i * 37 + salt) % 223)}.${(i >> 8) & 255}.${i & 255}.${(i * 13) & 255}`,
      scope: 'ip',
      scenarioClass: 'x',
      score: 1,
      until: new Date(0),
    });
  }
  return renderTxt(entries, { version: 1, generatedAt: new Date(0), now: new Date(0) });
}

describe('compressBody', () => {
  it('produces gzip and brotli bodies that decode to the identity bytes', async () => {
    const identity = body(20_000);
    const compressed = await compressBody(identity);
    expect(compressed.identity).toBe(identity);
    expect(compressed.length).toBe(identity.length);
    expect(gunzipSync(compressed.gzip).equals(identity)).toBe(true);
    expect(brotliDecompressSync(compressed.br).equals(identity)).toBe(true);
    expect(compressed.gzip.length).toBeLessThan(identity.length / 2);
    expect(compressed.br.length).toBeLessThan(compressed.gzip.length);
  });

  it('has the same result synchronously, and handles an empty body', async () => {
    const identity = body(500);
    const a = compressBodySync(identity);
    const b = await compressBody(identity);
    expect(a.etag).toBe(b.etag);
    expect(gunzipSync(a.gzip).equals(identity)).toBe(true);
    const empty = compressBodySync(Buffer.alloc(0));
    expect(empty.length).toBe(0);
    expect(gunzipSync(empty.gzip).length).toBe(0);
    expect(brotliDecompressSync(empty.br).length).toBe(0);
  });

  it('derives a strong ETag from the identity bytes only', () => {
    const one = compressBodySync(body(1000));
    expect(one.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(compressBodySync(body(1000), { gzipLevel: 9, brotliQuality: 9 }).etag).toBe(one.etag);
    expect(compressBodySync(body(1000, 1)).etag).not.toBe(one.etag);
    expect(etagFor(one, 'identity')).toBe(one.etag);
    expect(etagFor(one, 'gzip')).toBe(`${one.etag.slice(0, -1)}-gzip"`);
    expect(etagFor(one, 'br')).toBe(`${one.etag.slice(0, -1)}-br"`);
  });
});

describe('ifNoneMatchHits', () => {
  const b = compressBodySync(body(10));
  it.each([
    [b.etag, true],
    [etagFor(b, 'gzip'), true],
    [`W/${etagFor(b, 'br')}`, true],
    [`"other", ${b.etag}`, true],
    ['*', true],
    ['"other"', false],
    [b.etag.slice(1, -1), false],
    ['', false],
  ])('%s -> %s', (header, hit) => {
    expect(ifNoneMatchHits(header, b)).toBe(hit);
  });
  it('is false without the header', () => {
    expect(ifNoneMatchHits(undefined, b)).toBe(false);
  });
});

describe('negotiateCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0, identity', 'identity'],
    ['GZIP;Q=1', 'gzip'],
    ['deflate', 'identity'],
    ['br;q=abc, gzip;q=0.1', 'gzip'],
    ['gzip;q=0.5, identity', 'identity'],
    ['br;q=0.2, gzip;q=0.4', 'gzip'],
  ])('%j -> %s', (header, coding) => {
    expect(negotiateCoding(header)).toBe(coding);
  });
});
