import type { ConsensusRuntime, RuntimeRestore } from '../consensus-runtime.js';
import type { ReporterSnapshot } from '../scoring/snapshot-types.js';
import { frameBytes, FrameError, readFrames } from './binary-frames.js';
import { BLOCK_IPS, indexMaps, ipBlockFrame, restoreIpBlock } from './ip-blocks.js';
import type { RuntimeCapture } from './runtime-capture.js';
import { checkCounts, cursorJson, gunzipChunks, gzipToChunks, parseHeader, SnapshotRejected, type EncodedSnapshot, type SnapshotCounts, type SnapshotHead, type SnapshotHeader } from './snapshot-format.js';

/**
 * Snapshot format 2 (docs/scaling.md, "Snapshots and fail-over"): gzip of binary frames
 * (binary-frames.ts), in this order:
 *
 *   H  the header (JSON): versions, cursor, counts, the engine's state besides reporters and IPs, and
 *      the name tables the records refer to
 *   R  reporters (JSON, the engine's own records), in the engine's order
 *   I  IPs in blocks of consecutive engine indexes (ip-blocks.ts)
 *   C  collusion co-voters per IP (IP index, owner count, owner indexes);  S  sightings;  P  published expiries;  T  trusted scenario names
 *   E  the end, with the counts: a snapshot without it (cut short) is rejected
 *
 * Sightings and trusted names name their IP by its engine index (the key is written only for an IP the
 * engine does not hold), so a restore reuses the engine's key strings.
 */
export const BINARY_FORMAT = 2;

const ORDER = 'HRICSPTE';
const REPORTERS_PER_FRAME = 2_000;
const ENTRIES_PER_FRAME = 65_536;
const GZIP_LEVEL = 6;

/** The engine index of `key` in the capture, or -1 (then the key is written out). */
function indexOf(c: RuntimeCapture, key: string): number {
  const x = c.ipIndex(key);
  return x >= 0 && x < c.ips.size && c.ips.keys[x] === key ? x : -1;
}

function* pieces(c: RuntimeCapture, head: SnapshotHead): Generator<Buffer> {
  const counts: SnapshotCounts = {
    reporters: c.reporters.length,
    ips: c.ips.size,
    seen: c.seen.keys.length,
    published: c.published.length,
    trusted: c.trusted.length,
    coVoters: c.coVoters.length,
  };
  const header = { ...head, formatVersion: BINARY_FORMAT, cursor: cursorJson(head.cursor), counts, engine: c.engine, tables: { families: c.families, nets: c.nets } };
  yield* frameBytes('H', header);
  for (let i = 0; i < c.reporters.length; i += REPORTERS_PER_FRAME) yield* frameBytes('R', c.reporters.slice(i, i + REPORTERS_PER_FRAME));
  const listings = { next: 0 };
  for (let from = 0; from < c.ips.size; from += BLOCK_IPS) yield* ipBlockFrame(c, from, Math.min(c.ips.size, from + BLOCK_IPS), listings);
  for (let i = 0; i < c.coVoters.length; i += ENTRIES_PER_FRAME) {
    const part = c.coVoters.slice(i, i + ENTRIES_PER_FRAME);
    const owners: number[] = [];
    for (const [, list] of part) owners.push(...list);
    yield* frameBytes('C', null, [Int32Array.from(part, ([x]) => x), Int32Array.from(part, ([, list]) => list.length), Int32Array.from(owners)]);
  }
  const { seen } = c;
  for (let i = 0; i < seen.keys.length; i += ENTRIES_PER_FRAME) {
    const to = Math.min(seen.keys.length, i + ENTRIES_PER_FRAME);
    const idx = new Int32Array(to - i);
    const keys: string[] = [];
    for (let k = i; k < to; k++) {
      idx[k - i] = indexOf(c, seen.keys[k]);
      if (idx[k - i] < 0) keys.push(seen.keys[k]);
    }
    yield* frameBytes('S', keys, [idx, seen.first.subarray(i, to), seen.last.subarray(i, to)]);
  }
  for (let i = 0; i < c.published.length; i += ENTRIES_PER_FRAME) yield* frameBytes('P', c.published.slice(i, i + ENTRIES_PER_FRAME));
  for (let i = 0; i < c.trusted.length; i += ENTRIES_PER_FRAME) {
    const to = Math.min(c.trusted.length, i + ENTRIES_PER_FRAME);
    const idx = new Int32Array(to - i);
    const count = new Int32Array(to - i);
    const table = new Map<string, number>();
    const names: number[] = [];
    const keys: string[] = [];
    for (let k = i; k < to; k++) {
      const [key, list] = c.trusted[k];
      idx[k - i] = indexOf(c, key);
      if (idx[k - i] < 0) keys.push(key);
      count[k - i] = list.length;
      for (const name of list) {
        let id = table.get(name);
        if (id === undefined) table.set(name, (id = table.size));
        names.push(id);
      }
    }
    yield* frameBytes('T', { names: [...table.keys()], keys }, [idx, count, Int32Array.from(names)]);
  }
  yield* frameBytes('E', counts);
}

/** Writes `capture` (taken by `captureRuntime` under the scoring lock) in format 2, in chunks of `chunkBytes`. */
export function encodeBinarySnapshot(capture: RuntimeCapture, head: SnapshotHead, sink: (chunk: Buffer, seq: number) => Promise<void>, chunkBytes = 1024 * 1024): Promise<EncodedSnapshot> {
  return gzipToChunks(pieces(capture, head), sink, chunkBytes, GZIP_LEVEL);
}

/**
 * Restores a format-2 snapshot into the runtime `open` returns for its header, frame by frame as the
 * stream is read. `check` sees the header first and returns a reason to reject it; frames out of
 * order, a stream cut short, counts that differ from the header or a wrong checksum throw
 * SnapshotRejected, and the runtime is then never finished.
 */
export async function decodeBinarySnapshot(
  chunks: AsyncIterable<Buffer>,
  check: (header: SnapshotHeader) => string | null,
  expectedSha256: string | null,
  open: (header: SnapshotHeader) => RuntimeRestore,
): Promise<{ header: SnapshotHeader; result: ConsensusRuntime }> {
  const input = gunzipChunks(chunks);
  let header: SnapshotHeader | null = null;
  let restore: RuntimeRestore | null = null;
  let maps: ReturnType<typeof indexMaps> | null = null;
  const got: SnapshotCounts = { reporters: 0, ips: 0, seen: 0, published: 0, trusted: 0, coVoters: 0 };
  let end = false;
  let rank = 0;
  try {
    for await (const frame of readFrames(input.stream)) {
      const r = ORDER.indexOf(frame.kind);
      if (r < 0) throw new SnapshotRejected(`unknown frame ${frame.kind}`);
      if (end || (header === null) !== (r === 0) || r < rank) throw new SnapshotRejected(`frame ${frame.kind} out of place`);
      rank = r;
      if (frame.kind === 'H') {
        header = parseHeader(frame.meta as SnapshotHeader);
        const reason = check(header);
        if (reason !== null) throw new SnapshotRejected(reason);
        if (header.tables === undefined) throw new SnapshotRejected('no name tables');
        restore = open(header);
        maps = indexMaps(restore.runtime.engine.state, header.tables, header.engine.owners, header.engine.scenarioClasses);
        continue;
      }
      const rt = (restore as RuntimeRestore).runtime;
      const m = maps as ReturnType<typeof indexMaps>;
      const st = rt.engine.state;
      const ipKey = (x: number, explicit: string[], next: { at: number }): string => {
        if (x < 0) {
          const key = explicit[next.at++];
          if (typeof key !== 'string') throw new SnapshotRejected('key missing');
          return key;
        }
        if (x >= st.ips.size) throw new SnapshotRejected('IP index out of range');
        return st.ips.keys[x];
      };
      switch (frame.kind) {
        case 'R':
          for (const rec of frame.meta as ReporterSnapshot[]) {
            (restore as RuntimeRestore).reporter(rec);
            m.reporters.push(rt.engine.reporterIndex(rec.id));
            got.reporters++;
          }
          break;
        case 'I':
          restoreIpBlock(st, m, frame);
          got.ips = st.ips.size;
          break;
        case 'C': {
          const [ipx, count, owners] = frame.arrays;
          let p = 0;
          for (let i = 0; i < ipx.length; i++) {
            if (ipx[i] < 0 || ipx[i] >= st.ips.size) throw new SnapshotRejected('co-voters of an unknown IP');
            const set = new Set<number>();
            for (let j = 0; j < count[i]; j++, p++) set.add(m.owners[owners[p]] ?? owners[p]);
            st.coVoters.set(ipx[i], set);
          }
          if (p !== owners.length) throw new SnapshotRejected('co-voters left over');
          got.coVoters = (got.coVoters ?? 0) + ipx.length;
          break;
        }
        case 'S': {
          const [idx, first, last] = frame.arrays;
          const next = { at: 0 };
          for (let i = 0; i < idx.length; i++) (restore as RuntimeRestore).seen(ipKey(idx[i], frame.meta as string[], next), first[i], last[i]);
          got.seen += idx.length;
          break;
        }
        case 'P':
          for (const [key, until] of frame.meta as Array<[string, number]>) (restore as RuntimeRestore).published(key, until);
          got.published += (frame.meta as unknown[]).length;
          break;
        case 'T': {
          const { names, keys } = frame.meta as { names: string[]; keys: string[] };
          const [idx, count, list] = frame.arrays;
          const entries: Array<[string, string[]]> = new Array(idx.length);
          const next = { at: 0 };
          let p = 0;
          for (let i = 0; i < idx.length; i++) {
            const own = new Array<string>(count[i]);
            for (let j = 0; j < count[i]; j++) own[j] = names[list[p++]];
            entries[i] = [ipKey(idx[i], keys, next), own];
          }
          if (p !== list.length) throw new SnapshotRejected('trusted names left over');
          (restore as RuntimeRestore).trusted(entries);
          got.trusted += idx.length;
          break;
        }
        case 'E':
          end = true;
          break;
      }
    }
  } catch (error) {
    input.close();
    if (error instanceof SnapshotRejected) throw error;
    if (error instanceof FrameError) throw new SnapshotRejected(`unreadable: ${error.message}`);
    throw new SnapshotRejected(`unreadable: ${(error as Error).message}`);
  }
  const h = header as SnapshotHeader | null;
  const s = restore as RuntimeRestore | null;
  if (h === null || s === null) throw new SnapshotRejected('empty');
  if (!end) throw new SnapshotRejected('cut short (no end marker)');
  checkCounts(got, h);
  if (expectedSha256 !== null && input.digest() !== expectedSha256) throw new SnapshotRejected('checksum mismatch');
  return { header: h, result: s.finish() };
}
