import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { RuntimeImage } from '../consensus-runtime.js';
import type { EngineSnapshot, IpSnapshot, ReporterSnapshot } from '../scoring/snapshot-types.js';

export type { RuntimeImage };

/**
 * The byte format of a consensus snapshot (docs/scaling.md, "Snapshots and fail-over"): gzip of one
 * JSON value per line, never one huge string, so a snapshot of millions of IPs is written and read as
 * a stream.
 *
 *   line 1   the header: format, versions, the cursor it matches, the engine's scalar state
 *   then     ["r", reporter] ... ["i", ip] ... ["s", key, first, last] ... ["p", key, until] ...
 *            ["t", key, names]
 *   last     ["end", counts]: a snapshot without it (cut short) is rejected
 *
 * FORMAT_VERSION is this envelope's version; the engine's own state format is versioned by
 * `EngineSnapshot.version` and by `shape` (the field names the engine writes), both checked before a
 * restore, so a snapshot written by another engine build falls back to a full replay.
 */
export const SNAPSHOT_FORMAT = 'quorum-consensus-snapshot';
export const FORMAT_VERSION = 1;

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
}

export interface SnapshotHeader {
  format: string;
  formatVersion: number;
  engineVersion: number;
  shape: string;
  paramsHash: string;
  cursor: SnapshotCursor;
  counts: SnapshotCounts;
  /** The engine snapshot without its reporters and IPs (those follow as lines). */
  engine: Omit<EngineSnapshot, 'reporters' | 'ips'>;
}

export interface EncodedSnapshot {
  rawBytes: number;
  bytes: number;
  chunks: number;
  sha256: string;
}

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

const cursorJson = (c: SnapshotCursor) => ({ ...c, lastSignalId: c.lastSignalId.toString(), generation: c.generation.toString(), gapIds: c.gapIds.map(String) });

/** Lines of the snapshot, grouped into strings of about 64 KiB (fewer, larger writes into gzip). */
function* lines(image: RuntimeImage, head: Omit<SnapshotHeader, 'counts' | 'engine'>): Generator<string> {
  const { reporters, ips, ...engine } = image.engine;
  const counts: SnapshotCounts = { reporters: reporters.length, ips: ips.length, seen: image.seen.length, published: image.published.length, trusted: image.trusted.length };
  const header = { ...head, cursor: cursorJson(head.cursor), counts, engine };
  let buffer = `${JSON.stringify(header)}\n`;
  const flushAt = 64 * 1024;
  function* add(value: unknown): Generator<string> {
    buffer += `${JSON.stringify(value)}\n`;
    if (buffer.length >= flushAt) {
      yield buffer;
      buffer = '';
    }
  }
  for (const r of reporters) yield* add(['r', r]);
  for (let i = 0; i < ips.length; i++) {
    yield* add(['i', ips[i]]);
    // Written: let the collector take it (a large engine's image is the biggest transient cost).
    (ips as Array<IpSnapshot | null>)[i] = null;
  }
  for (const [key, first, last] of image.seen) yield* add(['s', key, first, last]);
  for (const [key, until] of image.published) yield* add(['p', key, until]);
  for (const [key, names] of image.trusted) yield* add(['t', key, names]);
  yield* add(['end', counts]);
  if (buffer.length > 0) yield buffer;
}

/**
 * Writes `image` as gzip, handing `sink` chunks of `chunkBytes` (the last one shorter), in order.
 * The image's IP entries are released as they are written.
 */
export async function encodeSnapshot(
  image: RuntimeImage,
  head: Omit<SnapshotHeader, 'counts' | 'engine'>,
  sink: (chunk: Buffer, seq: number) => Promise<void>,
  chunkBytes = 1024 * 1024,
): Promise<EncodedSnapshot> {
  let rawBytes = 0;
  const source = Readable.from(
    (function* () {
      for (const text of lines(image, head)) {
        rawBytes += Buffer.byteLength(text);
        yield text;
      }
    })(),
  );
  const gzip = source.pipe(createGzip({ level: 6 }));
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

export class SnapshotRejected extends Error {}

/** Receives a snapshot's records as they are read (see `ConsensusRuntime.restoring`). */
export interface SnapshotSink<T> {
  reporter(snapshot: ReporterSnapshot): void;
  ip(snapshot: IpSnapshot): void;
  seen(key: string, first: number, last: number): void;
  published(key: string, until: number): void;
  trusted(entries: Array<[string, string[]]>): void;
  finish(): T;
}

/**
 * Reads a snapshot written by `encodeSnapshot` into the sink `open` returns for its header, one record
 * at a time. `check` sees the header first and returns a reason to reject it (the rest is then not
 * read); a stream cut short, a wrong checksum or a record out of place throws SnapshotRejected, and the
 * sink's result is then never asked for.
 */
export async function decodeSnapshot<T>(
  chunks: AsyncIterable<Buffer>,
  check: (header: SnapshotHeader) => string | null,
  expectedSha256: string | null,
  open: (header: SnapshotHeader) => SnapshotSink<T>,
): Promise<{ header: SnapshotHeader; result: T }> {
  const hash = createHash('sha256');
  const hashed = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  const gunzip = hashed.pipe(createGunzip());
  hashed.on('error', (error) => gunzip.destroy(error));
  let header: SnapshotHeader | null = null;
  let sink: SnapshotSink<T> | null = null;
  const got: SnapshotCounts = { reporters: 0, ips: 0, seen: 0, published: 0, trusted: 0 };
  const trusted: Array<[string, string[]]> = [];
  let end: SnapshotCounts | null = null;
  // Text after the last newline seen; kept as pieces so that a long line (the header can be megabytes)
  // costs one join, not a copy per piece.
  let carry: string[] = [];
  const take = (line: string) => {
    if (line.length === 0) return;
    if (end !== null) throw new SnapshotRejected('data after the end marker');
    if (sink === null) {
      const parsed = JSON.parse(line) as SnapshotHeader & { cursor: Record<string, unknown> };
      if (parsed.format !== SNAPSHOT_FORMAT) throw new SnapshotRejected('not a consensus snapshot');
      const c = parsed.cursor as unknown as { lastSignalId: string; generation: string; runAt: number; gapIds: string[] };
      header = { ...parsed, cursor: { lastSignalId: BigInt(c.lastSignalId), generation: BigInt(c.generation), runAt: c.runAt, gapIds: c.gapIds.map((id) => BigInt(id)) } };
      const reason = check(header);
      if (reason !== null) throw new SnapshotRejected(reason);
      sink = open(header);
      return;
    }
    const record = JSON.parse(line) as [string, ...unknown[]];
    switch (record[0]) {
      case 'r':
        if (got.ips > 0) throw new SnapshotRejected('reporter after the IPs');
        sink.reporter(record[1] as ReporterSnapshot);
        got.reporters++;
        break;
      case 'i':
        sink.ip(record[1] as IpSnapshot);
        got.ips++;
        break;
      case 's':
        sink.seen(record[1] as string, record[2] as number, record[3] as number);
        got.seen++;
        break;
      case 'p':
        sink.published(record[1] as string, record[2] as number);
        got.published++;
        break;
      case 't':
        trusted.push([record[1] as string, record[2] as string[]]);
        got.trusted++;
        break;
      case 'end':
        end = record[1] as SnapshotCounts;
        break;
      default:
        throw new SnapshotRejected(`unknown record ${String(record[0])}`);
    }
  };
  try {
    // setEncoding: multi-byte characters split across pieces are decoded whole.
    gunzip.setEncoding('utf8');
    for await (const piece of gunzip as AsyncIterable<string>) {
      carry.push(piece);
      if (piece.indexOf('\n') < 0) continue;
      const parts = carry.join('').split('\n');
      carry = [parts.pop() ?? ''];
      for (const line of parts) take(line);
    }
    take(carry.join(''));
  } catch (error) {
    gunzip.destroy();
    hashed.destroy();
    if (error instanceof SnapshotRejected) throw error;
    throw new SnapshotRejected(`unreadable: ${(error as Error).message}`);
  }
  const h = header as SnapshotHeader | null;
  const s = sink as SnapshotSink<T> | null;
  if (h === null || s === null) throw new SnapshotRejected('empty');
  if (end === null) throw new SnapshotRejected('cut short (no end marker)');
  if (canonicalJson(got) !== canonicalJson(h.counts)) throw new SnapshotRejected(`record counts ${canonicalJson(got)} differ from the header's ${canonicalJson(h.counts)}`);
  const digest = hash.digest('hex');
  if (expectedSha256 !== null && digest !== expectedSha256) throw new SnapshotRejected('checksum mismatch');
  s.trusted(trusted);
  return { header: h, result: s.finish() };
}

/** Reads a whole snapshot into plain data (tests, tools); the worker restores with a streaming sink. */
export async function decodeImage(chunks: AsyncIterable<Buffer>, check: (header: SnapshotHeader) => string | null, expectedSha256: string | null): Promise<{ header: SnapshotHeader; image: RuntimeImage }> {
  const reporters: ReporterSnapshot[] = [];
  const ips: IpSnapshot[] = [];
  const rest: Omit<RuntimeImage, 'engine'> = { seen: [], published: [], trusted: [] };
  const { header, result } = await decodeSnapshot(chunks, check, expectedSha256, (h) => ({
    reporter: (r) => reporters.push(r),
    ip: (x) => ips.push(x),
    seen: (key, first, last) => rest.seen.push([key, first, last]),
    published: (key, until) => rest.published.push([key, until]),
    trusted: (entries) => rest.trusted.push(...entries),
    finish: () => ({ ...rest, engine: { ...h.engine, reporters, ips } as EngineSnapshot }),
  }));
  return { header, image: result };
}
