// Which scoring generations the lookup index may treat as complete (pure).

export interface FeedVersions {
  max: number;
  committed: number;
}

/** The newest generation whose rows are all written: only the newest one can be in progress (runs are serialised). */
export function completeGeneration(v: FeedVersions, announced = 0): number {
  const safe = v.committed >= v.max ? v.max : v.max - 1;
  return Math.max(0, Math.min(v.max, Math.max(safe, announced)));
}
