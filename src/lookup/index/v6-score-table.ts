import { ScoreColumns } from './score-columns.js';
import { NOT_FOUND, ScoreTable } from './score-table.js';

const MASK32 = 0xffffffffn;

/**
 * Scored IPv6 /64 networks (the consensus vote key), keyed by the upper 64 bits of the address held
 * as two sorted Uint32Array word columns. IPv6 volumes are small next to IPv4, so a plain binary
 * search suffices.
 */
export class V6ScoreTable extends ScoreTable<bigint> {
  private high: Uint32Array;
  private low: Uint32Array;
  /** delta keys per /48 (key >> 16), for range scans */
  private readonly deltaByNet = new Map<bigint, bigint[]>();

  private constructor(high: Uint32Array, low: Uint32Array, base: ScoreColumns) {
    super(base);
    this.high = high;
    this.low = low;
  }

  static empty(): V6ScoreTable {
    return new V6ScoreTable(new Uint32Array(0), new Uint32Array(0), new ScoreColumns(1));
  }

  /** From rows in any order (`keys[i]` is the /64 of row i); for a repeated key the later row wins. */
  static build(keys: readonly bigint[], columns: ScoreColumns): V6ScoreTable {
    const order = Array.from({ length: columns.length }, (_, i) => i);
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    const kept: number[] = [];
    for (let i = 0; i < order.length; i++) {
      if (i + 1 < order.length && keys[order[i]] === keys[order[i + 1]]) continue;
      kept.push(order[i]);
    }
    const high = new Uint32Array(kept.length);
    const low = new Uint32Array(kept.length);
    kept.forEach((row, i) => {
      high[i] = Number(keys[row] >> 32n);
      low[i] = Number(keys[row] & MASK32);
    });
    return new V6ScoreTable(high, low, columns.permuted(Uint32Array.from(kept)));
  }

  /** `hi` is the upper 64 bits of the address (its /64). */
  find(hi: bigint): number {
    if (this.deltaSlots.size > 0) {
      const slot = this.deltaSlots.get(hi);
      if (slot !== undefined) return -slot - 2;
    }
    return this.baseFind(hi);
  }

  protected baseFind(hi: bigint): number {
    const h = Number(hi >> 32n);
    const l = Number(hi & MASK32);
    const at = this.lowerBound(h, l);
    return at < this.base.length && this.high[at] === h && this.low[at] === l ? at : NOT_FOUND;
  }

  protected indexDelta(key: bigint): void {
    const net = key >> 16n;
    const list = this.deltaByNet.get(net);
    if (list) list.push(key);
    else this.deltaByNet.set(net, [key]);
  }

  private lowerBound(h: number, l: number): number {
    let lo = 0;
    let hi = this.base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mh = this.high[mid];
      if (mh < h || (mh === h && this.low[mid] < l)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private keyAt(row: number): bigint {
    return (BigInt(this.high[row]) << 32n) | BigInt(this.low[row]);
  }

  /** Visits every scored /64 whose key is in [start, end], ascending; `visit` returns false to stop. */
  scan(start: bigint, end: bigint, visit: (key: bigint, handle: number) => boolean | void): void {
    const extra: bigint[] = [];
    for (const [net, list] of this.deltaByNet) {
      if (net < start >> 16n || net > end >> 16n) continue;
      for (const k of list) if (k >= start && k <= end) extra.push(k);
    }
    extra.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let i = this.lowerBound(Number(start >> 32n), Number(start & MASK32));
    let j = 0;
    for (;;) {
      const baseKey = i < this.base.length ? this.keyAt(i) : null;
      const inBase = baseKey !== null && baseKey <= end;
      const deltaKey = j < extra.length ? extra[j] : null;
      if (!inBase && deltaKey === null) return;
      let go: boolean | void;
      if (deltaKey !== null && (!inBase || deltaKey <= (baseKey as bigint))) {
        go = visit(deltaKey, this.deltaHandle(deltaKey));
        j++;
        if (deltaKey === baseKey) i++;
      } else {
        go = visit(baseKey as bigint, i);
        i++;
      }
      if (go === false) return;
    }
  }

  compact(): void {
    if (this.deltaSlots.size === 0) return;
    const keys: bigint[] = [];
    const columns = new ScoreColumns(this.base.length + this.deltaSlots.size);
    for (let i = 0; i < this.base.length; i++) {
      const key = this.keyAt(i);
      if (this.deltaSlots.has(key)) continue;
      columns.copyFrom(this.base, i, keys.length);
      keys.push(key);
      columns.length = keys.length;
    }
    for (const [key, slot] of this.deltaSlots) {
      columns.copyFrom(this.delta, slot, keys.length);
      keys.push(key);
      columns.length = keys.length;
    }
    const rebuilt = V6ScoreTable.build(keys, columns);
    this.high = rebuilt.high;
    this.low = rebuilt.low;
    this.base = rebuilt.base;
    this.deltaByNet.clear();
    this.resetDelta();
  }

  get byteLength(): number {
    return this.high.byteLength + this.low.byteLength + this.base.byteLength + this.delta.byteLength;
  }
}
