import type { KeyHistoryRow } from '../../blocklist/blocklist.types.js';

export interface TimelineEvent {
  at: Date | null;
  version: number;
  event: 'listed' | 'updated' | 'delisted';
  scenarioClass: string;
  score: number;
  until: Date;
}

/**
 * A key's listings and delistings from its blocklist rows (oldest first). A row closed and another
 * opened in the same version is one listing republished (a new expiry or score): `updated`.
 */
export function listingTimeline(rows: readonly KeyHistoryRow[]): TimelineEvent[] {
  const opened = new Set(rows.map((r) => r.addedIn));
  const closed = new Set(rows.flatMap((r) => (r.removedIn === null ? [] : [r.removedIn])));
  const events: TimelineEvent[] = [];
  for (const r of rows) {
    const base = { scenarioClass: r.scenarioClass, score: r.score, until: r.until };
    events.push({ ...base, at: r.addedAt, version: r.addedIn, event: closed.has(r.addedIn) ? 'updated' : 'listed' });
    if (r.removedIn !== null && !opened.has(r.removedIn)) events.push({ ...base, at: r.removedAt, version: r.removedIn, event: 'delisted' });
  }
  return events.sort((a, b) => a.version - b.version || (a.event === 'delisted' ? -1 : 0) - (b.event === 'delisted' ? -1 : 0));
}
