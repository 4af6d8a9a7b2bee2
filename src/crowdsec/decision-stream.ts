/**
 * What a CrowdSec consumer (watcher pulling the community list, or bouncer) gets on a pull, from
 * the current blocklist and the rows closed since its cursor. Pure: callers pass the clock.
 */
export interface ListedDecision {
  value: string;
  scope: 'ip' | 'range';
  scenarioClass: string;
  until: Date;
  addedInVersion: number;
}

export interface ClosedDecision extends ListedDecision {
  removedInVersion: number;
}

/** The blocklist version a consumer last received, and when. */
export interface StreamCursor {
  version: number;
  pulledAtMs: number;
}

export interface StreamDelta {
  added: ListedDecision[];
  deleted: ListedDecision[];
}

function key(d: ListedDecision): string {
  return `${d.scope}|${d.value}`;
}

/**
 * `full` (startup, first pull, or a cursor older than the kept history): every active entry, no
 * deletions. Otherwise: entries opened after the cursor's version and still active; and entries
 * the consumer held at its last pull that are gone now (closed since, or expired since), unless
 * the same value is listed again.
 */
export function streamDelta(
  current: readonly ListedDecision[],
  closedSince: readonly ListedDecision[],
  cursor: StreamCursor | null,
  full: boolean,
  nowMs: number,
): StreamDelta {
  const active = current.filter((d) => d.until.getTime() > nowMs);
  if (full || cursor === null) return { added: active, deleted: [] };
  const added = active.filter((d) => d.addedInVersion > cursor.version);
  const stillListed = new Set(active.map(key));
  const heldAtLastPull = (d: ListedDecision) => d.addedInVersion <= cursor.version && d.until.getTime() > cursor.pulledAtMs;
  const deleted = new Map<string, ListedDecision>();
  for (const d of closedSince) {
    if (heldAtLastPull(d) && !stillListed.has(key(d))) deleted.set(key(d), d);
  }
  for (const d of current) {
    if (heldAtLastPull(d) && d.until.getTime() <= nowMs && !stillListed.has(key(d))) deleted.set(key(d), d);
  }
  return { added, deleted: [...deleted.values()] };
}
