import { parseAddress, parseIPv4 } from '../net/ip.js';
import { type DecodedFrame, FRAME_SNAPSHOT, MirrorFrameError, RECORD_REMOVED, type RecordColumns } from './mirror-wire.js';

// Index flags (the service's src/lookup/index/score-columns.ts): bit 0 listed, bit 1 honeypot,
// bits 2-4 reporter bucket, bits 5-6 confidence.
const FLAG_LISTED = 1;
const FLAG_HONEYPOT = 2;
const REPORTER_BANDS = [null, '1-2', '3-5', '6-20', '>20'] as const;
const CONFIDENCES = ['none', 'low', 'medium', 'high'] as const;
/** public score from which an unlisted address is `suspicious` (the service's θ_keep, docs/lookup.md) */
export const SUSPICIOUS_MIN_SCORE = 28;

export type MirrorClassification = 'malicious' | 'suspicious' | 'unknown';

/** The quick answer (in-process checks, nginx auth_request). */
export interface MirrorVerdict {
  classification: MirrorClassification;
  score: number;
  listed: boolean;
}

/** The answer for one address, in the service's field names (docs/lookup.md "The answer for one IP"). */
export interface MirrorAnswer extends MirrorVerdict {
  ip: string;
  evidence: 'trusted' | 'not_enough_trusted_evidence' | 'none';
  confidence: (typeof CONFIDENCES)[number];
  listedUntil: string | null;
  reporters: (typeof REPORTER_BANDS)[number];
  scenarios: readonly string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

const UNKNOWN: MirrorVerdict = Object.freeze({ classification: 'unknown', score: 0, listed: false });

/** Every verdict a trusted row can give, built once: a check allocates nothing. Index: score · 2 + listed. */
const VERDICTS: readonly MirrorVerdict[] = Array.from({ length: 202 }, (_, i) => {
  const score = i >> 1;
  const listed = (i & 1) === 1;
  return Object.freeze({ classification: listed ? 'malicious' : score >= SUSPICIOUS_MIN_SCORE ? 'suspicious' : 'unknown', score, listed });
});
const NO_NAMES: readonly string[] = Object.freeze([]);

/** One family's rows, sorted by key (IPv4: uint32 with a /16 directory; IPv6: the /64 as uint64). */
interface Rows<K> {
  keys: K;
  flags: Uint8Array;
  score: Uint8Array;
  set: Uint32Array;
  firstSeen: Uint32Array;
  lastSeen: Uint32Array;
  listedUntil: Uint32Array;
  length: number;
}

function emptyRows<K>(keys: K): Rows<K> {
  return { keys, flags: new Uint8Array(0), score: new Uint8Array(0), set: new Uint32Array(0), firstSeen: new Uint32Array(0), lastSeen: new Uint32Array(0), listedUntil: new Uint32Array(0), length: 0 };
}

function allocRows<K>(keys: K, n: number): Rows<K> {
  return { keys, flags: new Uint8Array(n), score: new Uint8Array(n), set: new Uint32Array(n), firstSeen: new Uint32Array(n), lastSeen: new Uint32Array(n), listedUntil: new Uint32Array(n), length: 0 };
}

function copyRow<A, B>(from: Rows<A> | RecordColumns<A>, i: number, to: Rows<B>, j: number): void {
  to.flags[j] = from.flags[i];
  to.score[j] = from.score[i];
  to.set[j] = from.set[i];
  to.firstSeen[j] = from.firstSeen[i];
  to.lastSeen[j] = from.lastSeen[i];
  to.listedUntil[j] = from.listedUntil[i];
}

/**
 * Merges ascending changes into ascending rows (a removal drops the key): one linear pass, new arrays,
 * so readers keep the old ones until the swap.
 */
function merge<K extends Uint32Array | BigUint64Array>(base: Rows<K>, delta: RecordColumns<K>, make: (n: number) => K): Rows<K> {
  const out = allocRows(make(base.length + delta.length), base.length + delta.length);
  const bk = base.keys as ArrayLike<number | bigint>;
  const dk = delta.keys as ArrayLike<number | bigint>;
  const ok = out.keys as unknown as { [i: number]: number | bigint };
  let i = 0;
  let j = 0;
  let m = 0;
  while (i < base.length || j < delta.length) {
    if (j >= delta.length || (i < base.length && bk[i] < dk[j])) {
      ok[m] = bk[i];
      copyRow(base, i++, out, m++);
      continue;
    }
    if (i < base.length && bk[i] === dk[j]) i++;
    if ((delta.flags[j] & RECORD_REMOVED) === 0) {
      ok[m] = dk[j];
      copyRow(delta, j, out, m++);
    }
    j++;
  }
  out.length = m;
  return out;
}

function fromColumns<K>(c: RecordColumns<K>): Rows<K> {
  return { keys: c.keys, flags: c.flags, score: c.score, set: c.set, firstSeen: c.firstSeen, lastSeen: c.lastSeen, listedUntil: c.listedUntil, length: c.length };
}

function directory(keys: Uint32Array, n: number): Uint32Array {
  const dir = new Uint32Array(65537);
  let row = 0;
  for (let b = 0; b <= 65536; b++) {
    while (row < n && keys[row] >>> 16 < b) row++;
    dir[b] = row;
  }
  return dir;
}

const WORDS = new Uint16Array(8);
const GROUPS = new Uint16Array(9);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The eight 16-bit words of an IPv6 address in `out`, without BigInt or arrays (the hot path of
 * `check`); accepts exactly what agent-client/src/net/ip.ts parseIPv6 accepts. False when not IPv6.
 */
export function parseIPv6Words(s: string, out: Uint16Array): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (n === 2) {
      out.fill(0);
      return true;
    }
  }
  while (i < n) {
    let j = i;
    let group = 0;
    while (j < n && j - i < 5) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      group = group * 16 + h;
      j++;
    }
    if (j < n && s.charCodeAt(j) === 46) {
      const v4 = parseIPv4(s, i, n);
      if (v4 < 0 || count > 6) return false;
      GROUPS[count++] = Math.floor(v4 / 65536);
      GROUPS[count++] = v4 % 65536;
      break;
    }
    if (j === i || j - i > 4 || count === 9) return false;
    GROUPS[count++] = group;
    if (j === n) break;
    if (s.charCodeAt(j) !== 58) return false;
    if (j + 1 < n && s.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i = j + 2;
    } else {
      if (j + 1 === n) return false;
      i = j + 1;
    }
  }
  if (count > 8 || (gap < 0 && count !== 8) || (gap >= 0 && count === 8)) return false;
  if (gap < 0) {
    for (let k = 0; k < 8; k++) out[k] = GROUPS[k];
    return true;
  }
  const tail = count - gap;
  for (let k = 0; k < gap; k++) out[k] = GROUPS[k];
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  for (let k = 0; k < tail; k++) out[8 - tail + k] = GROUPS[gap + k];
  return true;
}

function iso(seconds: number): string | null {
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * The agent's local copy of the service's scored index, answered in-process without a network round
 * trip. Built from a snapshot frame, moved forward by delta frames (frames are verified before they
 * reach it: agent-client/src/mirror/mirror-wire.ts). Answers follow the service's rules for
 * classification and evidence; never-list (`benign`) and special-purpose (`reserved`) space are not in
 * the feed and answer from their scores like any address.
 */
export class MirrorTable {
  epoch = 0;
  version = 0;
  generation = 0;
  /** publication time of the newest applied frame (service clock, epoch ms) */
  publishedAtMs = 0;
  private v4: Rows<Uint32Array> = emptyRows(new Uint32Array(0));
  private dir = directory(new Uint32Array(0), 0);
  private v6: Rows<BigUint64Array> = emptyRows(new BigUint64Array(0));
  /** the /64 keys of `v6` as two word columns, so a text lookup needs no BigInt */
  private v6High = new Uint32Array(0);
  private v6Low = new Uint32Array(0);
  private sets: Array<readonly string[]> = [NO_NAMES];

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  get loaded(): boolean {
    return this.version > 0;
  }

  /** Applies a verified snapshot (replaces everything) or the next delta (must continue this epoch and version). */
  apply(frame: DecodedFrame): void {
    if (frame.kind === FRAME_SNAPSHOT) {
      this.sets = [NO_NAMES];
      this.defineSets(frame);
      this.v4 = fromColumns(frame.v4);
      this.v6 = fromColumns(frame.v6);
    } else {
      if (frame.epoch !== this.epoch || frame.from !== this.version) throw new MirrorFrameError(`delta ${frame.from}→${frame.to} of epoch ${frame.epoch} does not continue ${this.version} of epoch ${this.epoch}`);
      this.defineSets(frame);
      this.v4 = merge(this.v4, frame.v4, (n) => new Uint32Array(n));
      this.v6 = merge(this.v6, frame.v6, (n) => new BigUint64Array(n));
    }
    this.dir = directory(this.v4.keys, this.v4.length);
    this.v6High = new Uint32Array(this.v6.length);
    this.v6Low = new Uint32Array(this.v6.length);
    for (let i = 0; i < this.v6.length; i++) {
      const key = this.v6.keys[i];
      this.v6High[i] = Number(key >> 32n);
      this.v6Low[i] = Number(key & 0xffffffffn);
    }
    this.epoch = frame.epoch;
    this.version = frame.to;
    this.generation = frame.generation;
    this.publishedAtMs = frame.publishedAtMs;
  }

  private defineSets(frame: DecodedFrame): void {
    for (const [id, names] of frame.sets) this.sets[id] = Object.freeze(names);
  }

  /** Row of an IPv4 address (uint32), or -1. */
  findV4(value: number): number {
    const keys = this.v4.keys;
    let lo = this.dir[value >>> 16];
    let hi = this.dir[(value >>> 16) + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k < value) lo = mid + 1;
      else if (k > value) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Row of an IPv6 /64 (the upper 64 bits of the address), or -1. */
  findV6(hi: bigint): number {
    return this.findV6Words(Number(hi >> 32n), Number(hi & 0xffffffffn));
  }

  /** Row of the IPv6 /64 whose upper 32-bit words are `high` and `low`, or -1. */
  findV6Words(high: number, low: number): number {
    const hs = this.v6High;
    const ls = this.v6Low;
    let lo = 0;
    let top = this.v6.length - 1;
    while (lo <= top) {
      const mid = (lo + top) >>> 1;
      const h = hs[mid];
      if (h < high || (h === high && ls[mid] < low)) lo = mid + 1;
      else if (h > high || ls[mid] > low) top = mid - 1;
      else return mid;
    }
    return -1;
  }

  private verdictOf(rows: Rows<unknown>, row: number, nowSec: number): MirrorVerdict {
    if (row < 0) return UNKNOWN;
    const flags = rows.flags[row];
    const until = rows.listedUntil[row];
    const listed = (flags & FLAG_LISTED) !== 0 && (until === 0 || until > nowSec);
    // Rows without a trusted reporter, a honeypot sighting or a listing answer like an unknown address.
    if (!listed && (flags & FLAG_HONEYPOT) === 0 && ((flags >>> 2) & 7) === 0) return UNKNOWN;
    return VERDICTS[rows.score[row] * 2 + (listed ? 1 : 0)];
  }

  /** The verdict for an IPv4 address as a uint32 (the fastest path). */
  checkV4(value: number, nowSec = Date.now() / 1000): MirrorVerdict {
    return this.verdictOf(this.v4, this.findV4(value), nowSec);
  }

  /** The verdict for an address in text (IPv4, IPv6, IPv4-mapped IPv6); null when it is not an address. Allocates nothing. */
  check(ip: string, nowSec = Date.now() / 1000): MirrorVerdict | null {
    const v4 = parseIPv4(ip);
    if (v4 >= 0) return this.verdictOf(this.v4, this.findV4(v4), nowSec);
    const w = WORDS;
    if (!parseIPv6Words(ip, w)) return null;
    if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) return this.verdictOf(this.v4, this.findV4(w[6] * 65536 + w[7]), nowSec);
    return this.verdictOf(this.v6, this.findV6Words(w[0] * 65536 + w[1], w[2] * 65536 + w[3]), nowSec);
  }

  /** The full answer for an address in text; null when it is not an address. */
  answer(ip: string, nowSec = Date.now() / 1000): MirrorAnswer | null {
    const address = parseAddress(ip);
    if (!address) return null;
    const rows: Rows<unknown> = address.family === 4 ? this.v4 : this.v6;
    const row = address.family === 4 ? this.findV4(Number(address.value)) : this.findV6(address.value >> 64n);
    const verdict = this.verdictOf(rows, row, nowSec);
    // verdictOf answers the shared UNKNOWN object exactly when the row is absent or untrusted.
    const trusted = row >= 0 && verdict !== UNKNOWN;
    const evidence = row < 0 ? 'none' : trusted ? 'trusted' : 'not_enough_trusted_evidence';
    const flags = trusted ? rows.flags[row] : 0;
    return {
      ip: address.text,
      ...verdict,
      evidence,
      confidence: CONFIDENCES[(flags >>> 5) & 3],
      listedUntil: verdict.listed ? iso(rows.listedUntil[row]) : null,
      reporters: REPORTER_BANDS[(flags >>> 2) & 7] ?? null,
      scenarios: trusted ? (this.sets[rows.set[row]] ?? NO_NAMES) : NO_NAMES,
      firstSeen: trusted ? iso(rows.firstSeen[row]) : null,
      lastSeen: trusted ? iso(rows.lastSeen[row]) : null,
    };
  }

  /** Raw stored fields of a key (tests compare them with the service's index). */
  rowFields(family: 4 | 6, key: number | bigint): { score: number; flags: number; scenarios: readonly string[]; firstSeen: number; lastSeen: number; listedUntil: number } | null {
    const rows: Rows<unknown> = family === 4 ? this.v4 : this.v6;
    const row = family === 4 ? this.findV4(key as number) : this.findV6(key as bigint);
    if (row < 0) return null;
    return { score: rows.score[row], flags: rows.flags[row], scenarios: this.sets[rows.set[row]] ?? NO_NAMES, firstSeen: rows.firstSeen[row], lastSeen: rows.lastSeen[row], listedUntil: rows.listedUntil[row] };
  }
}
