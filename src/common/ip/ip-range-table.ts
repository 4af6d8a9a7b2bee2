// Sorted, non-overlapping address ranges in typed arrays, each carrying a uint32 payload
// (an index into the caller's value table). Lookup is a binary search without allocation.
import { ipv6Words32, type ParsedIpv6 } from './ip-address.js';

export class Ipv4RangeTable {
  /** `starts`/`ends` are inclusive uint32 bounds, sorted and disjoint. */
  constructor(
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    readonly payloads: Uint32Array,
  ) {
    if (starts.length !== ends.length || starts.length !== payloads.length) throw new Error('range arrays differ in length');
  }

  get size(): number {
    return this.starts.length;
  }

  /** Payload of the range holding `value`, or -1. */
  find(value: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && this.ends[hi] >= value ? this.payloads[hi] : -1;
  }

  get byteLength(): number {
    return this.starts.byteLength + this.ends.byteLength + this.payloads.byteLength;
  }
}

const probe = new Uint32Array(4);

/** Compares the 4-word address `a` with the 4 words of `bounds` at `offset`. */
function compareWords(a: Uint32Array, bounds: Uint32Array, offset: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[k];
    const y = bounds[offset + k];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export class Ipv6RangeTable {
  /** Eight big-endian uint32 words per range: start (4) then end (4); sorted and disjoint. */
  constructor(
    readonly bounds: Uint32Array,
    readonly payloads: Uint32Array,
  ) {
    if (bounds.length !== payloads.length * 8) throw new Error('range arrays differ in length');
  }

  static fromBigInts(starts: readonly bigint[], ends: readonly bigint[], payloads: Uint32Array | readonly number[]): Ipv6RangeTable {
    const n = starts.length;
    const bounds = new Uint32Array(n * 8);
    for (let i = 0; i < n; i++) {
      writeWords(starts[i], bounds, i * 8);
      writeWords(ends[i], bounds, i * 8 + 4);
    }
    return new Ipv6RangeTable(bounds, Uint32Array.from(payloads));
  }

  get size(): number {
    return this.payloads.length;
  }

  find(ip: ParsedIpv6): number {
    ipv6Words32(ip, probe);
    const bounds = this.bounds;
    let lo = 0;
    let hi = this.payloads.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(probe, bounds, mid * 8) >= 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && compareWords(probe, bounds, hi * 8 + 4) <= 0 ? this.payloads[hi] : -1;
  }

  get byteLength(): number {
    return this.bounds.byteLength + this.payloads.byteLength;
  }
}

function writeWords(x: bigint, out: Uint32Array, offset: number): void {
  out[offset] = Number((x >> 96n) & 0xffffffffn);
  out[offset + 1] = Number((x >> 64n) & 0xffffffffn);
  out[offset + 2] = Number((x >> 32n) & 0xffffffffn);
  out[offset + 3] = Number(x & 0xffffffffn);
}

export interface RangeFixStats {
  /** rows whose end was cut because the next row starts inside them */
  clipped: number;
  /** rows split around a row nested inside them */
  split: number;
  /** rows dropped (empty after clipping, or unrepairable) */
  dropped: number;
}

/**
 * Sorts ranges by start and makes them disjoint. Where two rows overlap, the later-starting row
 * wins the overlap (it is the narrower, more specific record in range datasets). Works on
 * numbers (IPv4) or bigints (IPv6) through `one`.
 */
export function normaliseRanges<N extends number | bigint>(
  starts: N[],
  ends: N[],
  payloads: number[],
  one: N,
): { starts: N[]; ends: N[]; payloads: number[]; stats: RangeFixStats } {
  const n = starts.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (starts[i] < starts[i - 1]) sorted = false;
  const order = sorted ? null : Array.from({ length: n }, (_, i) => i);
  order?.sort((a, b) => (starts[a] < starts[b] ? -1 : starts[a] > starts[b] ? 1 : a - b));
  const add = (a: N, b: N): N => ((a as number) + (b as number)) as N;
  const sub = (a: N, b: N): N => ((a as number) - (b as number)) as N;
  const outS: N[] = [];
  const outE: N[] = [];
  const outP: number[] = [];
  const stats: RangeFixStats = { clipped: 0, split: 0, dropped: 0 };
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    const s = starts[i];
    const e = ends[i];
    if (e < s) {
      stats.dropped++;
      continue;
    }
    const last = outS.length - 1;
    if (last >= 0 && s <= outE[last]) {
      if (s < outS[last]) {
        stats.dropped++;
        continue;
      }
      const lastEnd = outE[last];
      const lastPayload = outP[last];
      if (s === outS[last]) {
        outS.pop();
        outE.pop();
        outP.pop();
      } else {
        outE[last] = sub(s, one);
      }
      outS.push(s);
      outE.push(e);
      outP.push(payloads[i]);
      if (e < lastEnd) {
        stats.split++;
        outS.push(add(e, one));
        outE.push(lastEnd);
        outP.push(lastPayload);
      } else {
        stats.clipped++;
      }
      continue;
    }
    outS.push(s);
    outE.push(e);
    outP.push(payloads[i]);
  }
  return { starts: outS, ends: outE, payloads: outP, stats };
}
