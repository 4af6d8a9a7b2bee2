import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  gzip,
  gzipSync,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';

export type ContentCoding = 'identity' | 'gzip' | 'br';

/** One rendered body in every coding we serve, compressed once and then sent many times. */
export interface CompressedBody {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong ETag of the identity bytes, quoted (`"…"`); see `etagFor` for the other codings. */
  etag: string;
  /** Byte length of `identity` (each coding's length is its buffer's `length`). */
  length: number;
}

export interface CompressionOptions {
  /** 1-9; default 6: level 9 costs ~2x the time for ~1-2% smaller blocklists. */
  gzipLevel?: number;
  /** 0-11; default 5, the knee of brotli's time/size curve for this kind of text. */
  brotliQuality?: number;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Compresses on libuv's thread pool, so the event loop keeps serving while a version renders. */
export async function compressBody(identity: Buffer, options: CompressionOptions = {}): Promise<CompressedBody> {
  const [gz, br] = await Promise.all([
    gzipAsync(identity, gzipOptions(options)),
    brotliAsync(identity, brotliOptions(identity, options)),
  ]);
  return { identity, gzip: gz, br, etag: strongEtag(identity), length: identity.length };
}

export function compressBodySync(identity: Buffer, options: CompressionOptions = {}): CompressedBody {
  return {
    identity,
    gzip: gzipSync(identity, gzipOptions(options)),
    br: brotliCompressSync(identity, brotliOptions(identity, options)),
    etag: strongEtag(identity),
    length: identity.length,
  };
}

/**
 * A strong validator must differ between representations, and a gzip or brotli body is a
 * different representation from the identity one (RFC 9110 §8.8.1), hence the suffixes.
 */
export function etagFor(body: CompressedBody, coding: ContentCoding): string {
  return coding === 'identity' ? body.etag : `${body.etag.slice(0, -1)}-${coding}"`;
}

/** RFC 9110 §13.1.2 (weak comparison): true when `If-None-Match` names any representation of
 * this body, or is `*`. */
export function ifNoneMatchHits(header: string | undefined, body: CompressedBody): boolean {
  if (header === undefined) return false;
  const tags = new Set<string>([etagFor(body, 'identity'), etagFor(body, 'gzip'), etagFor(body, 'br')]);
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') return true;
    if (tags.has(tag.startsWith('W/') ? tag.slice(2) : tag)) return true;
  }
  return false;
}

/**
 * The coding to send for an `Accept-Encoding` header: the acceptable coding with the highest
 * q-value, brotli winning ties over gzip; identity when nothing else is acceptable or the client
 * ranks it first explicitly. No header means identity.
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        weight = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    q.set(coding, weight);
  }
  // Identity is always acceptable as a fallback, but only beats a compressed coding when the
  // client ranks it higher explicitly.
  const weightOf = (coding: string): number => q.get(coding) ?? (coding === 'identity' ? 0 : (q.get('*') ?? 0));
  const choices: ContentCoding[] = ['br', 'gzip', 'identity'];
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of choices) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

function strongEtag(identity: Buffer): string {
  return `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
}

function gzipOptions(options: CompressionOptions): ZlibOptions {
  return { level: options.gzipLevel ?? 6, memLevel: 9 };
}

function brotliOptions(identity: Buffer, options: CompressionOptions): BrotliOptions {
  return {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
    },
  };
}
