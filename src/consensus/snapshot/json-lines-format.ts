import type { RuntimeImage } from '../consensus-runtime.js';
import type { EngineSnapshot, IpSnapshot, ReporterSnapshot } from '../scoring/snapshot-types.js';
import {
  checkCounts,
  cursorJson,
  gunzipChunks,
  gzipToChunks,
  parseHeader,
  SnapshotRejected,
  type EncodedSnapshot,
  type SnapshotCounts,
  type SnapshotHead,
  type SnapshotHeader,
} from './snapshot-format.js';

/**
 * Snapshot format 1 (docs/scaling.md, "Snapshots and fail-over"): gzip of one JSON value per line.
 *
 *   line 1   the header: format, versions, the cursor it matches, the engine's scalar state
 *   then     ["r", reporter] ... ["i", ip] ... ["s", key, first, last] ... ["p", key, until] ...
 *            ["t", key, names]
 *   last     ["end", counts]: a snapshot without it (cut short) is rejected
 *
 * Workers write format 2 (binary-format.ts) and still restore this one; bench:scale writes it to
 * measure both formats in one run.
 */
export const JSON_LINES_FORMAT = 1;

/** Lines of the snapshot, grouped into strings of about 64 KiB (fewer, larger writes into gzip). */
function* lines(image: RuntimeImage, head: SnapshotHead): Generator<string> {
  const { reporters, ips, ...engine } = image.engine;
  const counts: SnapshotCounts = { reporters: reporters.length, ips: ips.length, seen: image.seen.length, published: image.published.length, trusted: image.trusted.length };
  const header = { ...head, formatVersion: JSON_LINES_FORMAT, cursor: cursorJson(head.cursor), counts, engine };
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
 * Writes `image` (`ConsensusRuntime.image()`) in format 1, handing `sink` chunks of `chunkBytes`. The
 * image's IP entries are released as they are written.
 */
export function encodeJsonLinesSnapshot(image: RuntimeImage, head: SnapshotHead, sink: (chunk: Buffer, seq: number) => Promise<void>, chunkBytes = 1024 * 1024): Promise<EncodedSnapshot> {
  return gzipToChunks(lines(image, head), sink, chunkBytes, 6);
}

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
 * Reads a format-1 snapshot into the sink `open` returns for its header, one record at a time. `check`
 * sees the header first and returns a reason to reject it (the rest is then not read); a stream cut
 * short, a wrong checksum or a record out of place throws SnapshotRejected, and the sink's result is
 * then never asked for.
 */
export async function decodeJsonLinesSnapshot<T>(
  chunks: AsyncIterable<Buffer>,
  check: (header: SnapshotHeader) => string | null,
  expectedSha256: string | null,
  open: (header: SnapshotHeader) => SnapshotSink<T>,
): Promise<{ header: SnapshotHeader; result: T }> {
  const input = gunzipChunks(chunks, { text: true });
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
      header = parseHeader(JSON.parse(line) as SnapshotHeader);
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
    for await (const piece of input.stream) {
      carry.push(piece);
      if (piece.indexOf('\n') < 0) continue;
      const parts = carry.join('').split('\n');
      carry = [parts.pop() ?? ''];
      for (const line of parts) take(line);
    }
    take(carry.join(''));
  } catch (error) {
    input.close();
    if (error instanceof SnapshotRejected) throw error;
    throw new SnapshotRejected(`unreadable: ${(error as Error).message}`);
  }
  const h = header as SnapshotHeader | null;
  const s = sink as SnapshotSink<T> | null;
  if (h === null || s === null) throw new SnapshotRejected('empty');
  if (end === null) throw new SnapshotRejected('cut short (no end marker)');
  checkCounts(got, h);
  if (expectedSha256 !== null && input.digest() !== expectedSha256) throw new SnapshotRejected('checksum mismatch');
  s.trusted(trusted);
  return { header: h, result: s.finish() };
}

/** Reads a whole format-1 snapshot into plain data (tests, tools); workers restore with a streaming sink. */
export async function decodeImage(chunks: AsyncIterable<Buffer>, check: (header: SnapshotHeader) => string | null, expectedSha256: string | null): Promise<{ header: SnapshotHeader; image: RuntimeImage }> {
  const reporters: ReporterSnapshot[] = [];
  const ips: IpSnapshot[] = [];
  const rest: Omit<RuntimeImage, 'engine'> = { seen: [], published: [], trusted: [] };
  const { header, result } = await decodeJsonLinesSnapshot(chunks, check, expectedSha256, (h) => ({
    reporter: (r) => reporters.push(r),
    ip: (x) => ips.push(x),
    seen: (key, first, last) => rest.seen.push([key, first, last]),
    published: (key, until) => rest.published.push([key, until]),
    trusted: (entries) => rest.trusted.push(...entries),
    finish: () => ({ ...rest, engine: { ...h.engine, reporters, ips } as EngineSnapshot }),
  }));
  return { header, image: result };
}
