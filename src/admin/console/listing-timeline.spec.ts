import type { KeyHistoryRow } from '../../blocklist/blocklist.types.js';
import { listingTimeline } from './listing-timeline.js';

const at = (v: number) => new Date(Date.UTC(2026, 11, 1, v));
const row = (addedIn: number, removedIn: number | null, until = 10): KeyHistoryRow => ({
  scenarioClass: 'ssh-bf',
  score: 0.9,
  until: at(until),
  addedIn,
  removedIn,
  addedAt: at(addedIn),
  removedAt: removedIn === null ? null : at(removedIn),
});

describe('listing timeline from blocklist rows', () => {
  it('reads listings, republications and delistings in version order', () => {
    const events = listingTimeline([row(2, 4), row(4, 6, 12), row(8, null)]);
    expect(events.map((e) => [e.version, e.event, e.at?.toISOString()])).toEqual([
      [2, 'listed', at(2).toISOString()],
      [4, 'updated', at(4).toISOString()],
      [6, 'delisted', at(6).toISOString()],
      [8, 'listed', at(8).toISOString()],
    ]);
    expect(events[1].until).toEqual(at(12));
  });

  it('has nothing to say of a key never listed', () => {
    expect(listingTimeline([])).toEqual([]);
  });
});
