import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { EngineSnapshot } from '../scoring/snapshot-types.js';

/**
 * What every snapshot format shares (docs/scaling.md, "Snapshots and fail-over"): the header's
 * fields, the cursor, the gzip stream cut into chunks for PostgreSQL with its sha256, and the rejection
 * of anything doubtful. Format 1 is JSON lines (json-lines-format.ts), format 2 binary frames
 * (binary-format.ts); snapshot-codec.ts picks one.
 */
export const SNAPSHOT_FORMAT = 'quorum-consensus-snapshot';

export interface SnapshotCursor {
  lastSignalId: bigint;
  generation: bigint;
  /** The `now` of the scoring run the snapshot follows (epoch ms). */
  runAt: number;
  /** Ids the worker's cursor had stepped over while their batch was in flight (src/consensus/signal-gaps.ts). */
  gapIds: bigint[];
}

export interface SnapshotCounts {
  reporters: number;
  ips: number;
  seen: number;
  published: number;
  trusted: number;
  /** IPs with collusion co-voters (format 2; format 1 writes them inside the IP records). */
  coVoters?: number;
}

export interface SnapshotHeader {
  format: string;
  formatVersion: number;
  engineVersion: number;
  shape: string;
  paramsHash: string;
  cursor: SnapshotCursor;
  counts: SnapshotCounts;
  /** The engine snapshot without its reporters and IPs (those follow as records). */
  engine: Omit<EngineSnapshot, 'reporters' | 'ips'>;
  /** The engine's interned family and network names (format 2: its IP records refer to them by index). */
  tables?: { families: string[]; nets: string[] };
}

export type SnapshotHead = Omit<SnapshotHeader, 'counts' | 'engine' | 'tables'>;

export interface EncodedSnapshot {
  rawBytes: number;
  bytes: number;
  chunks: number;
  sha256: string;
}

export class SnapshotRejected extends Error {}

/** Canonical JSON (keys sorted at every level), for hashes that do not depend on insertion order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const cursorJson = (c: SnapshotCursor) => ({ ...c, lastSignalId: c.lastSignalId.toString(), generation: c.generation.toString(), gapIds: c.gapIds.map(String) });

/** A header as written (cursor numbers as strings) back to a SnapshotHeader; not a snapshot: rejected. */
export function parseHeader(parsed: SnapshotHeader & { cursor: unknown }): SnapshotHeader {
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== SNAPSHOT_FORMAT) throw new SnapshotRejected('not a consensus snapshot');
  const c = parsed.cursor as unknown as { lastSignalId: string; generation: string; runAt: number; gapIds: string[] };
  return { ...parsed, cursor: { lastSignalId: BigInt(c.lastSignalId), generation: BigInt(c.generation), runAt: c.runAt, gapIds: c.gapIds.map((id) => BigInt(id)) } };
}

/** Rejects a snapshot whose records do not add up to its header's counts. */
export function checkCounts(got: SnapshotCounts, header: SnapshotHeader): void {
  if (canonicalJson(got) !== canonicalJson(header.counts)) throw new SnapshotRejected(`record counts ${canonicalJson(got)} differ from the header's ${canonicalJson(header.counts)}`);
}

/**
 * Gzips `pieces`, handing `sink` chunks of `chunkBytes` (the last one shorter), in order. The pieces
 * are pulled one at a time, as gzip takes them.
 */
export async function gzipToChunks(pieces: Iterable<Buffer | string>, sink: (chunk: Buffer, seq: number) => Promise<void>, chunkBytes: number, level: number): Promise<EncodedSnapshot> {
  let rawBytes = 0;
  const source = Readable.from(
    (function* () {
      for (const piece of pieces) {
        rawBytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
        yield piece;
      }
    })(),
  );
  const gzip = source.pipe(createGzip({ level }));
  source.on('error', (error) => gzip.destroy(error));
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let bytes = 0;
  const flush = async (all: boolean) => {
    while (pendingBytes >= chunkBytes || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending);
      const chunk = joined.subarray(0, Math.min(chunkBytes, joined.length));
      const rest = joined.subarray(chunk.length);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      hash.update(chunk);
      bytes += chunk.length;
      await sink(Buffer.from(chunk), seq++);
    }
  };
  for await (const piece of gzip as AsyncIterable<Buffer>) {
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes >= chunkBytes) await flush(false);
  }
  await flush(true);
  return { rawBytes, bytes, chunks: seq, sha256: hash.digest('hex') };
}

/**
 * The gunzipped bytes of stored chunks, with the sha256 of the chunks themselves (`digest()` once the
 * stream is read to its end) and `close()` for a reader that stops early.
 */
export function gunzipChunks(chunks: AsyncIterable<Buffer>, options: { text?: boolean } = {}) {
  const hash = createHash('sha256');
  const hashed = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  const gunzip = hashed.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  hashed.on('error', (error) => gunzip.destroy(error));
  if (options.text === true) gunzip.setEncoding('utf8');
  return {
    stream: gunzip as AsyncIterable<Buffer & string>,
    digest: () => hash.digest('hex'),
    close: () => {
      gunzip.destroy();
      hashed.destroy();
    },
  };
}
