import { sortedOrder } from './radix-sort.js';
import { ScoreColumns } from './score-columns.js';
import { NOT_FOUND, ScoreTable } from './score-table.js';

const BUCKETS = 65536;

/**
 * Scored IPv4 addresses: sorted Uint32Array keys with a /16 directory (row range per top 16 bits),
 * so a lookup is one Map probe of the delta plus a binary search over a few rows.
 */
export class V4ScoreTable extends ScoreTable<number> {
  private keys: Uint32Array;
  private dir: Uint32Array;
  /** delta keys per /24, for range scans */
  private readonly deltaByNet = new Map<number, number[]>();

  private constructor(keys: Uint32Array, base: ScoreColumns) {
    super(base);
    this.keys = keys;
    this.dir = buildDirectory(keys);
  }

  static empty(): V4ScoreTable {
    return new V4ScoreTable(new Uint32Array(0), new ScoreColumns(1));
  }

  /** From rows in any order; for a repeated key the later row wins. */
  static build(keys: Uint32Array, columns: ScoreColumns): V4ScoreTable {
    const n = columns.length;
    const order = sortedOrder(keys, n);
    let unique = 0;
    for (let i = 0; i < n; i++) {
      if (i + 1 < n && keys[order[i]] === keys[order[i + 1]]) continue;
      order[unique++] = order[i];
    }
    const kept = order.subarray(0, unique);
    const sortedKeys = new Uint32Array(unique);
    for (let i = 0; i < unique; i++) sortedKeys[i] = keys[kept[i]];
    return new V4ScoreTable(sortedKeys, columns.permuted(kept));
  }

  find(value: number): number {
    if (this.deltaSlots.size > 0) {
      const slot = this.deltaSlots.get(value);
      if (slot !== undefined) return -slot - 2;
    }
    return this.baseFind(value);
  }

  protected baseFind(value: number): number {
    const keys = this.keys;
    const bucket = value >>> 16;
    let lo = this.dir[bucket];
    let hi = this.dir[bucket + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k < value) lo = mid + 1;
      else if (k > value) hi = mid - 1;
      else return mid;
    }
    return NOT_FOUND;
  }

  protected indexDelta(key: number): void {
    const net = key >>> 8;
    const list = this.deltaByNet.get(net);
    if (list) list.push(key);
    else this.deltaByNet.set(net, [key]);
  }

  /** First base row whose key is >= value. */
  private lowerBound(value: number): number {
    const keys = this.keys;
    const bucket = value >>> 16;
    let lo = this.dir[bucket];
    let hi = this.dir[bucket + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Visits every scored address in [start, end] in ascending order; `visit` returns false to stop. */
  scan(start: number, end: number, visit: (key: number, handle: number) => boolean | void): void {
    const extra = this.deltaKeysIn(start, end);
    const keys = this.keys;
    const n = this.base.length;
    let i = this.lowerBound(start);
    let j = 0;
    for (;;) {
      const baseKey = i < n && keys[i] <= end ? keys[i] : Infinity;
      const deltaKey = j < extra.length ? extra[j] : Infinity;
      if (baseKey === Infinity && deltaKey === Infinity) return;
      let go: boolean | void;
      if (deltaKey <= baseKey) {
        go = visit(deltaKey, this.deltaHandle(deltaKey));
        j++;
        if (deltaKey === baseKey) i++;
      } else {
        go = visit(baseKey, i);
        i++;
      }
      if (go === false) return;
    }
  }

  private deltaKeysIn(start: number, end: number): number[] {
    const out: number[] = [];
    if (this.deltaByNet.size === 0) return out;
    const first = start >>> 8;
    const last = end >>> 8;
    if (last - first + 1 <= this.deltaByNet.size) {
      for (let net = first; net <= last; net++) {
        for (const k of this.deltaByNet.get(net) ?? []) if (k >= start && k <= end) out.push(k);
      }
    } else {
      for (const [net, list] of this.deltaByNet) {
        if (net < first || net > last) continue;
        for (const k of list) if (k >= start && k <= end) out.push(k);
      }
    }
    return out.sort((a, b) => a - b);
  }

  /** Merges the delta into a new sorted base (linear in the table size). */
  compact(): void {
    if (this.deltaSlots.size === 0) return;
    const dkeys = Uint32Array.from(this.deltaSlots.keys()).sort();
    const n = this.base.length;
    const capacity = n + this.deltaAdded;
    const keys = new Uint32Array(capacity);
    const columns = new ScoreColumns(capacity);
    let i = 0;
    let j = 0;
    let m = 0;
    while (i < n || j < dkeys.length) {
      const a = i < n ? this.keys[i] : Infinity;
      const b = j < dkeys.length ? dkeys[j] : Infinity;
      if (b <= a) {
        keys[m] = b;
        columns.copyFrom(this.delta, this.deltaSlots.get(b) as number, m);
        j++;
        if (a === b) i++;
      } else {
        keys[m] = a;
        columns.copyFrom(this.base, i, m);
        i++;
      }
      m++;
    }
    columns.length = m;
    this.keys = keys;
    this.base = columns;
    this.dir = buildDirectory(keys);
    this.deltaByNet.clear();
    this.resetDelta();
  }

  /** Bytes held by the base, directory and delta arrays. */
  get byteLength(): number {
    return this.keys.byteLength + this.dir.byteLength + this.base.byteLength + this.delta.byteLength;
  }
}

/** dir[b] = first row whose key's top 16 bits are >= b; dir[65536] = number of rows. */
function buildDirectory(keys: Uint32Array): Uint32Array {
  const dir = new Uint32Array(BUCKETS + 1);
  let row = 0;
  for (let b = 0; b <= BUCKETS; b++) {
    while (row < keys.length && keys[row] >>> 16 < b) row++;
    dir[b] = row;
  }
  return dir;
}
