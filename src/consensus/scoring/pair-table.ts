/**
 * Open-addressing hash table from an unordered owner pair (a, b) to a decayed count and its
 * time. Faster and leaner than a Map keyed by doubles; deletion rebuilds the table.
 */
export class PairTable {
  private keysA = new Int32Array(1024).fill(-1);
  private keysB = new Int32Array(1024);
  count = new Float64Array(1024);
  at = new Float64Array(1024);
  private mask = 1023;
  size = 0;

  private slotOf(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const k = this.keysA[h];
      if (k === -1 || (k === a && this.keysB[h] === b)) return h;
      h = (h + 1) & this.mask;
    }
  }

  /** Slot of (a, b), or -1. */
  find(a: number, b: number): number {
    if (a > b) [a, b] = [b, a];
    const s = this.slotOf(a, b);
    return this.keysA[s] === -1 ? -1 : s;
  }

  /** Slot of (a, b), inserting it with count 0 when absent. */
  upsert(a: number, b: number): number {
    if (a > b) [a, b] = [b, a];
    if ((this.size + 1) * 2 > this.keysA.length) this.resize(this.keysA.length * 2, () => true);
    const s = this.slotOf(a, b);
    if (this.keysA[s] === -1) {
      this.keysA[s] = a;
      this.keysB[s] = b;
      this.count[s] = 0;
      this.at[s] = 0;
      this.size++;
    }
    return s;
  }

  /** Keeps only the pairs for which `keep(count, at)` holds. */
  filter(keep: (count: number, at: number) => boolean): void {
    let n = 0;
    for (let s = 0; s < this.keysA.length; s++) if (this.keysA[s] !== -1 && keep(this.count[s], this.at[s])) n++;
    let cap = 1024;
    while (cap < n * 2 + 2) cap *= 2;
    this.resize(cap, keep);
  }

  forEach(fn: (a: number, b: number, count: number, at: number) => void): void {
    for (let s = 0; s < this.keysA.length; s++) if (this.keysA[s] !== -1) fn(this.keysA[s], this.keysB[s], this.count[s], this.at[s]);
  }

  private resize(capacity: number, keep: (count: number, at: number) => boolean): void {
    const { keysA, keysB, count, at } = this;
    this.keysA = new Int32Array(capacity).fill(-1);
    this.keysB = new Int32Array(capacity);
    this.count = new Float64Array(capacity);
    this.at = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let s = 0; s < keysA.length; s++) {
      if (keysA[s] === -1 || !keep(count[s], at[s])) continue;
      const t = this.slotOf(keysA[s], keysB[s]);
      this.keysA[t] = keysA[s];
      this.keysB[t] = keysB[s];
      this.count[t] = count[s];
      this.at[t] = at[s];
      this.size++;
    }
  }
}
