import type { StoredEntry } from './blocklist.types.js';
import { compareKeyed, keyedEntry, type KeyedEntry } from './ranking.js';

/** One row and its sort key, in one object (a million-entry list holds a million of them). */
type Item = KeyedEntry<StoredEntry>;

/** Items per block: small enough that a splice is a short copy, large enough that the block index stays short. */
const BLOCK = 512;

/**
 * The open entries in ranking order (ranking.ts), kept sorted as entries come and go: a list of
 * sorted blocks of at most 2 × BLOCK items. Adding or removing one entry costs two binary searches
 * and a splice within one block (O(log n + BLOCK)), so a version that opens and closes k rows costs
 * O(k (log n + BLOCK)) instead of sorting the whole list again. Each entry's sort key is decoded once,
 * when it is added. Iteration is in rank order and must not interleave with changes (views read it
 * synchronously).
 *
 * Entries are compared by rank, then by (ipKey, addedInVersion), which names one row: the order is
 * strict, so removing finds exactly the row that was added.
 */
export class RankedList implements Iterable<StoredEntry> {
  private blocks: Item[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Replaces the content (one sort). The sort orders indices by score and `until` held in typed arrays,
   * which decide almost every comparison, and compares the items themselves only on ties: about twice
   * as fast on a million entries as sorting the items with `compareItems` (same order).
   */
  reset(entries: Iterable<StoredEntry>): void {
    const items: Item[] = [];
    for (const entry of entries) items.push(keyedEntry(entry));
    const n = items.length;
    const score = new Float64Array(n);
    const until = new Float64Array(n);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      score[i] = items[i].score;
      until[i] = items[i].until;
      order[i] = i;
    }
    order.sort((a, b) => {
      if (score[a] !== score[b]) return score[a] > score[b] ? -1 : 1;
      if (until[a] !== until[b]) return until[b] > until[a] ? 1 : -1;
      return compareItems(items[a], items[b]);
    });
    this.blocks = [];
    for (let start = 0; start < n; start += BLOCK) {
      const block: Item[] = [];
      for (let k = start; k < n && k < start + BLOCK; k++) block.push(items[order[k]]);
      this.blocks.push(block);
    }
    this.count = n;
  }

  add(entry: StoredEntry): void {
    const item = keyedEntry(entry);
    if (this.blocks.length === 0) {
      this.blocks.push([item]);
      this.count = 1;
      return;
    }
    const b = this.blockFor(item);
    const block = this.blocks[b];
    block.splice(lowerBound(block, item), 0, item);
    this.count++;
    if (block.length > 2 * BLOCK) this.blocks.splice(b, 1, block.slice(0, BLOCK), block.slice(BLOCK));
  }

  /** Removes the row `entry` names (same ipKey and addedInVersion, same attributes); false when absent. */
  remove(entry: StoredEntry): boolean {
    if (this.blocks.length === 0) return false;
    const item = keyedEntry(entry);
    const b = this.blockFor(item);
    const block = this.blocks[b];
    const i = lowerBound(block, item);
    if (i >= block.length || compareItems(block[i], item) !== 0) return false;
    block.splice(i, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
    else if (block.length < BLOCK / 4 && b + 1 < this.blocks.length && block.length + this.blocks[b + 1].length <= 2 * BLOCK) {
      this.blocks.splice(b, 2, block.concat(this.blocks[b + 1]));
    }
    return true;
  }

  /** A plain iterator rather than a generator: views walk up to the whole list per render. */
  [Symbol.iterator](): Iterator<StoredEntry> {
    const blocks = this.blocks;
    let b = 0;
    let i = 0;
    return {
      next: (): IteratorResult<StoredEntry> => {
        while (b < blocks.length) {
          const block = blocks[b];
          if (i < block.length) return { value: block[i++].entry, done: false };
          b++;
          i = 0;
        }
        return { value: undefined, done: true };
      },
    };
  }

  toArray(): StoredEntry[] {
    const out = new Array<StoredEntry>(this.count);
    let i = 0;
    for (const block of this.blocks) for (const item of block) out[i++] = item.entry;
    return out;
  }

  /** The block an item belongs in: the first whose last item does not rank before it (or the last block). */
  private blockFor(item: Item): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid];
      if (compareItems(block[block.length - 1], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(block: readonly Item[], item: Item): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareItems(block[mid], item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareItems(a: Item, b: Item): number {
  const byRank = compareKeyed(a, a.entry, b, b.entry);
  if (byRank !== 0) return byRank;
  if (a.entry.ipKey !== b.entry.ipKey) return a.entry.ipKey < b.entry.ipKey ? -1 : 1;
  return a.entry.addedInVersion - b.entry.addedInVersion;
}
