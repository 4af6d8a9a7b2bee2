/**
 * A binary min-heap of (key, expiry) pairs, for collections whose entries expire: the soonest expiry
 * is at the top, so taking it or every entry due by a time costs O(log n) per entry taken. Entries are
 * never updated in place: the owner pushes a new pair when an expiry moves and treats popped pairs
 * whose expiry no longer matches its own record as stale (see remediation/local-decisions.ts).
 */
export class ExpiryHeap {
  private keys: string[] = [];
  private at: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: string, expiry: number): void {
    this.keys.push(key);
    this.at.push(expiry);
    this.up(this.keys.length - 1);
  }

  /** The soonest expiry, or Infinity when empty. */
  peekExpiry(): number {
    return this.at.length > 0 ? this.at[0] : Infinity;
  }

  /** Removes and returns the pair with the soonest expiry. */
  pop(): { key: string; expiry: number } | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top = { key: this.keys[0], expiry: this.at[0] };
    const lastKey = this.keys.pop() as string;
    const lastAt = this.at.pop() as number;
    if (n > 1) {
      this.keys[0] = lastKey;
      this.at[0] = lastAt;
      this.down(0);
    }
    return top;
  }

  /** Rebuilds the heap from the live pairs only (drops stale ones), in O(n). */
  rebuild(pairs: Iterable<{ key: string; expiry: number }>): void {
    this.keys = [];
    this.at = [];
    for (const pair of pairs) {
      this.keys.push(pair.key);
      this.at.push(pair.expiry);
    }
    for (let i = (this.keys.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent] <= this.at[i]) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.at[right] < this.at[left] ? right : left;
      if (this.at[i] <= this.at[child]) return;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.at[a], this.at[b]] = [this.at[b], this.at[a]];
  }
}
