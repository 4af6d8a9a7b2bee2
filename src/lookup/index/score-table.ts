import { type EncodedScore, ScoreColumns } from './score-columns.js';

/** `find` result when the key is absent. */
export const NOT_FOUND = -1;

/**
 * Shared part of the IPv4 and IPv6 tables: a sorted, immutable base (built at load or compaction)
 * and a small delta of rows changed since, kept in a Map and consulted first.
 * A handle is `row` (>= 0) for a base row and `-slot - 2` for a delta slot.
 */
export abstract class ScoreTable<K> {
  protected delta = new ScoreColumns(64);
  protected readonly deltaSlots = new Map<K, number>();
  /** delta rows whose key is not in the base (so `size` stays exact) */
  protected deltaAdded = 0;

  protected constructor(protected base: ScoreColumns) {}

  abstract compact(): void;
  protected abstract baseFind(key: K): number;
  protected abstract indexDelta(key: K): void;

  get size(): number {
    return this.base.length + this.deltaAdded;
  }

  get deltaSize(): number {
    return this.deltaSlots.size;
  }

  get baseSize(): number {
    return this.base.length;
  }

  columnsOf(handle: number): ScoreColumns {
    return handle >= 0 ? this.base : this.delta;
  }

  rowOf(handle: number): number {
    return handle >= 0 ? handle : -handle - 2;
  }

  score(handle: number): number {
    return handle >= 0 ? this.base.score[handle] : this.delta.score[-handle - 2];
  }

  /** Inserts or replaces the row of `key` (in the delta, until the next compaction). */
  upsert(key: K, value: EncodedScore): void {
    const slot = this.deltaSlots.get(key);
    if (slot !== undefined) {
      this.delta.set(slot, value);
      return;
    }
    if (this.baseFind(key) < 0) this.deltaAdded++;
    this.deltaSlots.set(key, this.delta.push(value));
    this.indexDelta(key);
  }

  protected resetDelta(): void {
    this.delta = new ScoreColumns(64);
    this.deltaSlots.clear();
    this.deltaAdded = 0;
  }

  protected deltaHandle(key: K): number {
    const slot = this.deltaSlots.get(key);
    return slot === undefined ? NOT_FOUND : -slot - 2;
  }
}
