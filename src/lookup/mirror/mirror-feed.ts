import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress } from 'node:zlib';
import type { IpScoreIndex } from '../index/ip-score-index.js';
import { SCENARIO_SEPARATOR, ScoreColumns } from '../index/score-columns.js';
import { brotliOptions, ByteWriter, FRAME_DELTA, FRAME_SNAPSHOT, frameOf, type MirrorRecord, sealFrame, writeRecord } from './mirror-wire.js';

const compressAsync = promisify(brotliCompress);
const V4_MAX = 0xffffffff;
const V6_MAX = 0xffffffffffffffffn;

export interface MirrorFeedOptions {
  /** Ed25519 signature (64 bytes) of a frame's bytes */
  sign: (data: Buffer) => Buffer;
  /** delta frames kept for clients catching up (older ones answer "resync": take a snapshot) */
  keepDeltas: number;
  /** bytes of delta frames kept at most */
  keepBytes: number;
  nowMs: () => number;
  /** fixed epoch (tests); random otherwise */
  epoch?: number;
}

export interface PublishedDelta {
  from: number;
  to: number;
  /** keys added, changed or removed */
  changes: number;
  frame: Buffer;
}

/** What a client at (`epoch`, `since`) gets: its missing delta frames, nothing new yet, or "take a snapshot". */
export type DeltaAnswer = { kind: 'frames'; frames: Buffer[]; to: number } | { kind: 'current' } | { kind: 'resync'; reason: string };

/** Growable columns plus keys, sorted by key: the feed's copy of what it last published. */
class PublishedTable<K extends number | bigint> {
  keys: K[] | Uint32Array;
  columns: ScoreColumns;

  constructor(keys: K[] | Uint32Array, columns: ScoreColumns) {
    this.keys = keys;
    this.columns = columns;
  }
}

function sameRecord(c: ScoreColumns, i: number, r: MirrorRecord): boolean {
  return (
    c.score[i] === r.score &&
    c.flags[i] === r.flags &&
    c.scenarioSet[i] === r.set &&
    c.firstSeen[i] === r.firstSeen &&
    c.lastSeen[i] === r.lastSeen &&
    c.listedUntil[i] === r.listedUntil
  );
}

function recordAt(c: ScoreColumns, i: number): MirrorRecord {
  return { score: c.score[i], flags: c.flags[i], set: c.scenarioSet[i], firstSeen: c.firstSeen[i], lastSeen: c.lastSeen[i], listedUntil: c.listedUntil[i] };
}

function pushRecord(c: ScoreColumns, r: MirrorRecord): void {
  c.push({ score: r.score, flags: r.flags, scenarioSet: r.set, firstSeen: r.firstSeen, lastSeen: r.lastSeen, listedUntil: r.listedUntil });
}

/**
 * The versioned snapshot + delta feed of the lookup index for local mirrors (docs/lookup.md "Local
 * mirror"). `publish(index)` compares the index with what the feed last published (one ordered walk
 * over both, through the index's public scan) and seals the difference as a signed delta frame;
 * snapshots are sealed on demand and cached per version. Versions count publications within an epoch
 * (a random id of this feed): a client of another epoch (another process, a restart) takes a snapshot.
 */
export class MirrorFeed {
  readonly epoch: number;
  /** the last published version (0: nothing published yet) */
  version = 0;
  /** the scoring generation of the last publication */
  generation = 0;
  publishedAtMs = 0;
  private v4 = new PublishedTable<number>(new Uint32Array(0), new ScoreColumns(1));
  private v6 = new PublishedTable<bigint>([], new ScoreColumns(1));
  private readonly setIds = new Map<string, number>([['', 0]]);
  private readonly sets: string[] = [''];
  private mappedIndex: IpScoreIndex | null = null;
  private indexSets = new Map<number, number>();
  private deltas: PublishedDelta[] = [];
  private deltaBytes = 0;
  private snapshot: { version: number; frame: Promise<Buffer> } | null = null;

  constructor(private readonly options: MirrorFeedOptions) {
    this.epoch = options.epoch ?? randomInt(1, 0xffffffff);
  }

  get keys(): number {
    return this.v4.columns.length + this.v6.columns.length;
  }

  get retainedDeltas(): number {
    return this.deltas.length;
  }

  /** The feed's id of the index's scenario set `id` (interned by joined names). */
  /** Row `row` of an index's columns as a mirror record (its scenario set in the feed's numbering). */
  private recordOf(index: IpScoreIndex, c: ScoreColumns, row: number, defs: number[]): MirrorRecord {
    return {
      score: c.score[row],
      flags: c.flags[row],
      set: this.setOf(index, c.scenarioSet[row], defs),
      firstSeen: c.firstSeen[row],
      lastSeen: c.lastSeen[row],
      listedUntil: c.listedUntil[row],
    };
  }

  private setOf(index: IpScoreIndex, id: number, defs: number[]): number {
    if (this.mappedIndex !== index) {
      this.mappedIndex = index;
      this.indexSets = new Map();
    }
    const known = this.indexSets.get(id);
    if (known !== undefined) return known;
    const joined = index.scenarios.get(id).join(SCENARIO_SEPARATOR);
    let mine = this.setIds.get(joined);
    if (mine === undefined) {
      mine = this.sets.push(joined) - 1;
      this.setIds.set(joined, mine);
      defs.push(mine);
    }
    this.indexSets.set(id, mine);
    return mine;
  }

  /**
   * Publishes the index's current content as the next version when it differs from the last one.
   * Returns the delta, or null when nothing changed.
   */
  publish(index: IpScoreIndex): PublishedDelta | null {
    const defs: number[] = [];
    const v4Out = new ByteWriter(1024);
    const v6Out = new ByteWriter(256);
    let v4Changes = 0;
    let v6Changes = 0;

    // IPv4: one ordered walk over the index and the published copy.
    const prev4 = this.v4;
    const prevKeys4 = prev4.keys as Uint32Array;
    const n4 = prev4.columns.length;
    const next4Keys = new Uint32Array(Math.max(16, index.v4.size));
    const next4 = new ScoreColumns(Math.max(16, index.v4.size));
    let p = 0;
    let last4 = 0;
    const emit4 = (key: number, r: MirrorRecord | null): void => {
      v4Out.varint(key - last4);
      last4 = key;
      writeRecord(v4Out, r);
      v4Changes++;
    };
    index.v4.scan(0, V4_MAX, (key, handle) => {
      while (p < n4 && prevKeys4[p] < key) emit4(prevKeys4[p++], null);
      const r = this.recordOf(index, index.v4.columnsOf(handle), index.v4.rowOf(handle), defs);
      if (p < n4 && prevKeys4[p] === key) {
        if (!sameRecord(prev4.columns, p, r)) emit4(key, r);
        p++;
      } else emit4(key, r);
      next4Keys[next4.length] = key;
      pushRecord(next4, r);
    });
    while (p < n4) emit4(prevKeys4[p++], null);

    // IPv6 /64s, the same way.
    const prev6 = this.v6;
    const prevKeys6 = prev6.keys as bigint[];
    const n6 = prev6.columns.length;
    const next6Keys: bigint[] = [];
    const next6 = new ScoreColumns(Math.max(16, index.v6.size));
    let q = 0;
    let last6 = 0n;
    const emit6 = (key: bigint, r: MirrorRecord | null): void => {
      v6Out.bigVarint(key - last6);
      last6 = key;
      writeRecord(v6Out, r);
      v6Changes++;
    };
    index.v6.scan(0n, V6_MAX, (key, handle) => {
      while (q < n6 && prevKeys6[q] < key) emit6(prevKeys6[q++], null);
      const r = this.recordOf(index, index.v6.columnsOf(handle), index.v6.rowOf(handle), defs);
      if (q < n6 && prevKeys6[q] === key) {
        if (!sameRecord(prev6.columns, q, r)) emit6(key, r);
        q++;
      } else emit6(key, r);
      next6Keys.push(key);
      pushRecord(next6, r);
    });
    while (q < n6) emit6(prevKeys6[q++], null);

    this.v4 = new PublishedTable<number>(next4Keys.subarray(0, next4.length), next4);
    this.v6 = new PublishedTable<bigint>(next6Keys, next6);
    const changes = v4Changes + v6Changes;
    const generation = index.version;
    if (changes === 0 && this.version > 0) {
      this.generation = generation;
      return null;
    }
    const body = new ByteWriter(v4Out.length + v6Out.length + 64);
    body.varint(generation);
    this.writeDefs(body, defs);
    body.varint(v4Changes);
    body.bytes(v4Out.result());
    body.varint(v6Changes);
    body.bytes(v6Out.result());
    const from = this.version;
    const to = from + 1;
    const publishedAtMs = this.options.nowMs();
    const frame = sealFrame({ kind: FRAME_DELTA, epoch: this.epoch, from, to, publishedAtMs }, body.result(), this.options.sign);
    this.version = to;
    this.generation = generation;
    this.publishedAtMs = publishedAtMs;
    const delta: PublishedDelta = { from, to, changes, frame };
    this.deltas.push(delta);
    this.deltaBytes += frame.length;
    while (this.deltas.length > this.options.keepDeltas || (this.deltaBytes > this.options.keepBytes && this.deltas.length > 1)) {
      this.deltaBytes -= (this.deltas.shift() as PublishedDelta).frame.length;
    }
    return delta;
  }

  private writeDefs(w: ByteWriter, ids: readonly number[]): void {
    w.varint(ids.length);
    for (const id of ids) {
      const bytes = Buffer.from(this.sets[id], 'utf8');
      w.varint(id);
      w.varint(bytes.length);
      w.bytes(bytes);
    }
  }

  /** The delta frames a client at (`epoch`, `since`) is missing. */
  deltasSince(epoch: number, since: number): DeltaAnswer {
    if (this.version === 0) return { kind: 'resync', reason: 'nothing published yet' };
    if (epoch !== this.epoch) return { kind: 'resync', reason: 'another feed epoch (the service restarted or another replica answers)' };
    if (since === this.version) return { kind: 'current' };
    if (since > this.version) return { kind: 'resync', reason: `version ${since} is ahead of the feed (${this.version})` };
    const first = this.deltas.findIndex((d) => d.from === since);
    if (first < 0) return { kind: 'resync', reason: `the deltas after version ${since} are no longer kept` };
    const frames = this.deltas.slice(first).map((d) => d.frame);
    return { kind: 'frames', frames, to: this.version };
  }

  /** The full table at the current version, sealed once per version (compressed off the event loop). */
  snapshotFrame(): Promise<Buffer> {
    if (this.snapshot?.version === this.version) return this.snapshot.frame;
    const version = this.version;
    const frame = this.sealSnapshot(version);
    this.snapshot = { version, frame };
    frame.catch(() => {
      if (this.snapshot?.frame === frame) this.snapshot = null;
    });
    return frame;
  }

  private async sealSnapshot(version: number): Promise<Buffer> {
    const body = new ByteWriter(64 + this.keys * 12);
    body.varint(this.generation);
    this.writeDefs(
      body,
      this.sets.map((_, i) => i),
    );
    const k4 = this.v4.keys as Uint32Array;
    const c4 = this.v4.columns;
    body.varint(c4.length);
    let last4 = 0;
    for (let i = 0; i < c4.length; i++) {
      body.varint(k4[i] - last4);
      last4 = k4[i];
      writeRecord(body, recordAt(c4, i));
    }
    const k6 = this.v6.keys as bigint[];
    const c6 = this.v6.columns;
    body.varint(c6.length);
    let last6 = 0n;
    for (let i = 0; i < c6.length; i++) {
      body.bigVarint(k6[i] - last6);
      last6 = k6[i];
      writeRecord(body, recordAt(c6, i));
    }
    const raw = body.result();
    const compressed = await compressAsync(raw, brotliOptions(raw.length));
    return frameOf({ kind: FRAME_SNAPSHOT, epoch: this.epoch, from: 0, to: version, publishedAtMs: this.publishedAtMs }, raw.length, compressed, this.options.sign);
  }
}
