// Which scoring generations a reader of the scores feed may treat as complete (pure).
import type { FeedNeed, StoredGenerations } from './scores-feed.types.js';

/**
 * The newest generation whose rows are all written: only the newest one can be in progress (runs are
 * serialised). An announced generation (and every one before it) is complete, up to what is visible.
 */
export function completeGeneration(v: StoredGenerations, announced = 0): number {
  const safe = v.committed >= v.max ? v.max : v.max - 1;
  return Math.max(0, Math.min(v.max, Math.max(safe, announced)));
}

/**
 * Whether a snapshot (of a replica that may lag) has what the reader needs: the announced generation's
 * run committed in it, and nothing older than what the reader holds.
 */
export function snapshotReaches(v: StoredGenerations, need: FeedNeed): boolean {
  return v.committed >= need.announced && completeGeneration(v) >= need.held;
}
