// Per-IP values of the lookup index as parallel typed arrays (no object per IP): 15 bytes a row.
import type { FeedScoreRow } from '../../consensus/scores-feed.types.js';
import { reporterBucketIndex } from '../../common/reporter-bucket.js';
import { confidenceIndex, publicScore } from './reputation.js';

// Rows come from consensus's scores feed (src/consensus/scores-feed.ts), in its shape and encoding.
export { SCENARIO_SEPARATOR } from '../../consensus/scores-feed.types.js';
export type ScoreRow = FeedScoreRow;

/** The compact form of a row (what one index slot stores). */
export interface EncodedScore {
  score: number;
  flags: number;
  firstSeen: number;
  lastSeen: number;
  listedUntil: number;
  scenarioSet: number;
}

// flags: bit 0 listed, bit 1 honeypot, bits 2-4 reporter bucket, bits 5-6 confidence.
export const FLAG_LISTED = 1;
export const FLAG_HONEYPOT = 2;

export function encodeRow(row: ScoreRow, scenarioSet: number): EncodedScore {
  const flags = (row.listed ? FLAG_LISTED : 0) | (row.honeypot ? FLAG_HONEYPOT : 0) | (reporterBucketIndex(row.reporters) << 2) | (confidenceIndex(row) << 5);
  return {
    score: publicScore(row.score),
    flags,
    firstSeen: clampSeconds(row.firstSeen),
    lastSeen: clampSeconds(row.lastSeen),
    listedUntil: clampSeconds(row.listedUntil),
    scenarioSet,
  };
}

export function bucketOf(flags: number): number {
  return (flags >>> 2) & 7;
}

export function confidenceOf(flags: number): number {
  return (flags >>> 5) & 3;
}

/** Listed by consensus and not past its expiry (the consensus job removes it on its next run). */
export function listedAt(flags: number, listedUntil: number, nowSec: number): boolean {
  return (flags & FLAG_LISTED) !== 0 && (listedUntil === 0 || listedUntil > nowSec);
}

function clampSeconds(value: number): number {
  if (!(value > 0)) return 0;
  return Math.min(0xffffffff, Math.floor(value));
}

/** Growable columns; row i of every array belongs to the same IP. */
export class ScoreColumns {
  score: Uint8Array;
  flags: Uint8Array;
  firstSeen: Uint32Array;
  lastSeen: Uint32Array;
  listedUntil: Uint32Array;
  scenarioSet: Uint32Array;
  length = 0;

  constructor(capacity = 16) {
    const n = Math.max(1, capacity);
    this.score = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.firstSeen = new Uint32Array(n);
    this.lastSeen = new Uint32Array(n);
    this.listedUntil = new Uint32Array(n);
    this.scenarioSet = new Uint32Array(n);
  }

  get capacity(): number {
    return this.score.length;
  }

  push(value: EncodedScore): number {
    if (this.length === this.capacity) this.grow(this.capacity * 2);
    const i = this.length++;
    this.set(i, value);
    return i;
  }

  set(i: number, value: EncodedScore): void {
    this.score[i] = value.score;
    this.flags[i] = value.flags;
    this.firstSeen[i] = value.firstSeen;
    this.lastSeen[i] = value.lastSeen;
    this.listedUntil[i] = value.listedUntil;
    this.scenarioSet[i] = value.scenarioSet;
  }

  /** Copies row `from` of `source` into row `to` of this table (which must have room). */
  copyFrom(source: ScoreColumns, from: number, to: number): void {
    this.score[to] = source.score[from];
    this.flags[to] = source.flags[from];
    this.firstSeen[to] = source.firstSeen[from];
    this.lastSeen[to] = source.lastSeen[from];
    this.listedUntil[to] = source.listedUntil[from];
    this.scenarioSet[to] = source.scenarioSet[from];
  }

  /** A new table holding rows `order[0..n)` of this one, in that order, exactly sized. */
  permuted(order: Uint32Array): ScoreColumns {
    const out = new ScoreColumns(order.length);
    for (let i = 0; i < order.length; i++) out.copyFrom(this, order[i], i);
    out.length = order.length;
    return out;
  }

  grow(capacity: number): void {
    const copy = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.score = copy(this.score, (n) => new Uint8Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
    this.firstSeen = copy(this.firstSeen, (n) => new Uint32Array(n));
    this.lastSeen = copy(this.lastSeen, (n) => new Uint32Array(n));
    this.listedUntil = copy(this.listedUntil, (n) => new Uint32Array(n));
    this.scenarioSet = copy(this.scenarioSet, (n) => new Uint32Array(n));
  }

  /** Bytes allocated by the arrays (capacity, not length). */
  get byteLength(): number {
    return this.capacity * 15;
  }
}
