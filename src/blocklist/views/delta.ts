import type { StoredEntry, ViewSpec } from '../blocklist.types.js';
import { rankEntries } from '../ranking.js';
import { inClasses, selectFromRanked } from './select-view.js';

/**
 * Deltas of a view between version `since` and the current one, as seen at `nowMs`.
 *
 * A client that downloaded the view of version s may have done so at any time t between the
 * creation of s (T_s) and now, and expiry changes a view between versions: an expired entry
 * leaves, and in a limited view the next entry by rank takes its place. Both functions therefore
 * answer for every such t at once:
 * - `removed` holds every entry the client may hold (in the view of s at some t in [T_s, now])
 *   whose value is not in the current view; removing a value the client lacks is harmless;
 * - `added` holds every entry of the current view, with its current attributes, except those the
 *   client holds whatever t was: entries of the view of s at T_s that have not expired since.
 * Re-sending an entry the client already holds is harmless too, so applying the delta to any such
 * client list gives exactly the current view.
 */
export interface Delta {
  added: StoredEntry[];
  removed: StoredEntry[];
  /** The latest `until` (at or before now) among removed entries, or 0: the delta's last change. */
  lastExpiryMs: number;
}

export interface DeltaWindow {
  spec: ViewSpec;
  since: number;
  sinceCreatedAtMs: number;
  nowMs: number;
  /** Rows listed at `since` and closed by the current version. */
  closed: readonly StoredEntry[];
}

/**
 * Unlimited views: the delta follows the changed rows only. `opened` are rows opened after `since`
 * and still open; `expiring` rows listed at both versions whose `until` is in (T_s, now].
 */
export function fullViewDelta(window: DeltaWindow, opened: readonly StoredEntry[], expiring: readonly StoredEntry[]): Delta {
  const keep = inClasses(window.spec);
  const { nowMs, sinceCreatedAtMs } = window;
  const added = rankEntries(opened.filter((e) => keep(e) && e.until.getTime() > nowMs)) as StoredEntry[];
  const current = new Set(added.map((e) => e.value));
  const candidates = window.closed.filter((e) => keep(e) && e.until.getTime() > sinceCreatedAtMs);
  for (const e of expiring) if (keep(e) && e.until.getTime() <= nowMs) candidates.push(e);
  return finish(added, candidates, current, nowMs);
}

/**
 * Limited views (top `limit`): works on the current list in rank order and the rows closed since
 * `since`; the list at `since` is the current one without rows opened later, plus those closed rows.
 */
export function rankedViewDelta(window: DeltaWindow, rankedCurrent: Iterable<StoredEntry>, currentCreatedAtMs: number): Delta {
  const { spec, since, nowMs, sinceCreatedAtMs } = window;
  const keep = inClasses(spec);
  const limit = spec.limit;
  const viewNow = selectFromRanked(rankedCurrent, spec, nowMs, currentCreatedAtMs).entries;

  // The top of the list at `since` (entries valid at T_s) lies within this prefix and the closed rows.
  const prefix: StoredEntry[] = [];
  let prefixValidNow = 0;
  for (const e of rankedCurrent) {
    if (prefixValidNow >= limit) break;
    if (e.addedInVersion > since || !keep(e) || e.until.getTime() <= sinceCreatedAtMs) continue;
    prefix.push(e);
    if (e.until.getTime() > nowMs) prefixValidNow++;
  }
  for (const e of window.closed) if (keep(e) && e.until.getTime() > sinceCreatedAtMs) prefix.push(e);
  const atSince = rankEntries(prefix) as StoredEntry[];

  const core = new Set<string>();
  const candidates: StoredEntry[] = [];
  for (let i = 0, validNow = 0; i < atSince.length && validNow < limit; i++) {
    const e = atSince[i];
    candidates.push(e);
    const alive = e.until.getTime() > nowMs;
    if (alive) validNow++;
    if (i < limit && alive) core.add(identity(e));
  }
  const added = viewNow.filter((e) => !core.has(identity(e)));
  return finish(added, candidates, new Set(viewNow.map((e) => e.value)), nowMs);
}

function finish(added: StoredEntry[], candidates: StoredEntry[], current: ReadonlySet<string>, nowMs: number): Delta {
  const removed = rankEntries(candidates.filter((e) => !current.has(e.value))) as StoredEntry[];
  let lastExpiryMs = 0;
  for (const e of removed) {
    const until = e.until.getTime();
    if (until <= nowMs && until > lastExpiryMs) lastExpiryMs = until;
  }
  return { added, removed, lastExpiryMs };
}

/** Rows never change once written, so a key and the version that opened it name one entry. */
function identity(e: StoredEntry): string {
  return `${e.ipKey}\n${e.addedInVersion}`;
}
