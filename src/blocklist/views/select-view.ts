import type { StoredEntry, ViewSpec } from '../blocklist.types.js';

export interface SelectedView {
  entries: StoredEntry[];
  /** When the view last changed: the version's creation, or a later `until` that dropped an entry. */
  changedAtMs: number;
  /** The earliest `until` among the entries (Infinity when empty): the view changes then. */
  staleAtMs: number;
}

/**
 * The view `spec` at `nowMs`, read from a list already in ranking order: the first `limit` entries of
 * the requested scenario classes that have not expired. Because the ranking is a total order, this is
 * the same list as `selectView` in ranking.ts over the unranked entries, without sorting again.
 */
export function selectFromRanked(ranked: Iterable<StoredEntry>, spec: ViewSpec, nowMs: number, versionCreatedAtMs: number): SelectedView {
  const classes = spec.scenarios.length > 0 ? new Set(spec.scenarios) : null;
  const entries: StoredEntry[] = [];
  let changedAtMs = versionCreatedAtMs;
  let staleAtMs = Infinity;
  for (const entry of ranked) {
    if (entries.length >= spec.limit) break;
    if (classes !== null && !classes.has(entry.scenarioClass)) continue;
    const until = entry.until.getTime();
    if (!(until > nowMs)) {
      if (until > changedAtMs) changedAtMs = until;
      continue;
    }
    if (until < staleAtMs) staleAtMs = until;
    entries.push(entry);
  }
  return { entries, changedAtMs, staleAtMs };
}

export function inClasses(spec: ViewSpec): (entry: StoredEntry) => boolean {
  if (spec.scenarios.length === 0) return () => true;
  const classes = new Set(spec.scenarios);
  return (entry) => classes.has(entry.scenarioClass);
}
