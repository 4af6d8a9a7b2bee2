/**
 * Ids the scoring cursor stepped over without reading them. Signal ids come from one sequence, taken
 * when a batch is inserted, but batches commit in any order: a run can read ids 101–200 of a batch
 * that committed while the batch holding 1–100 was still in flight, and move its cursor past 100. Those
 * ids are remembered here and read again by the next runs until they show up or `ttlMs` passes (ids of
 * batches that rolled back never show up). Gaps wider than `maxGap` ids are not tracked (not a batch in
 * flight); at most `maxIds` ids are tracked.
 */
export class SignalGaps {
  private readonly pending = new Map<bigint, number>();

  constructor(
    private readonly ttlMs = 120_000,
    private readonly maxGap = 10_000n,
    private readonly maxIds = 200_000,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Records the ids missing between `after` (the cursor before the read) and the ids read, in order. */
  noteRead(after: bigint, ids: readonly bigint[], nowMs: number): void {
    let previous = after;
    for (const id of ids) {
      this.pending.delete(id);
      const gap = id - previous - 1n;
      if (gap > 0n && gap <= this.maxGap) {
        for (let missing = previous + 1n; missing < id && this.pending.size < this.maxIds; missing++) this.pending.set(missing, nowMs + this.ttlMs);
      }
      if (id > previous) previous = id;
    }
  }

  /** The ids still worth asking for (expired ones are forgotten). */
  due(nowMs: number): bigint[] {
    const out: bigint[] = [];
    for (const [id, expiresAt] of this.pending) {
      if (expiresAt <= nowMs) this.pending.delete(id);
      else out.push(id);
    }
    return out;
  }

  /** Ids that showed up (they are scored now and no longer missing). */
  found(ids: readonly bigint[]): void {
    for (const id of ids) this.pending.delete(id);
  }
}
