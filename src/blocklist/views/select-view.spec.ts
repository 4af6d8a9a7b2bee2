import type { StoredEntry, ViewSpec } from '../blocklist.types.js';
import { rankEntries, selectView } from '../ranking.js';
import { selectFromRanked } from './select-view.js';

const T0 = Date.parse('2026-11-25T17:00:00.000Z');

function entries(count: number): StoredEntry[] {
  let seed = 99;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  return Array.from({ length: count }, (_, i) => {
    const value = i % 5 === 0 ? `2001:db8:${next().toString(16)}::/64` : `${1 + (next() % 200)}.${next() & 255}.${next() & 255}.${i & 255}`;
    return {
      value,
      ipKey: value,
      scope: value.includes('/') ? 'range' : 'ip',
      scenarioClass: ['ssh', 'http', 'smtp'][next() % 3],
      score: next() % 7,
      until: new Date(T0 + ((next() % 120) - 20) * 60_000),
      addedInVersion: 1 + (next() % 4),
    } satisfies StoredEntry;
  });
}

describe('selectFromRanked', () => {
  const all = entries(3_000);
  const ranked = rankEntries(all) as StoredEntry[];

  it.each<[number, string[]]>([
    [Infinity, []],
    [100, []],
    [250, ['ssh']],
    [5_000, ['http', 'smtp']],
    [0, []],
  ])('is the view selectView computes from the unranked entries (limit %p, classes %p)', (limit, scenarios) => {
    const spec: ViewSpec = { tier: 'community', limit, scenarios };
    for (const minutes of [-30, 0, 45, 200]) {
      const now = T0 + minutes * 60_000;
      const expected = selectView(all, { limit, scenarios, now: new Date(now) });
      expect(selectFromRanked(ranked, spec, now, T0 - 3_600_000).entries).toEqual(expected);
    }
  });

  it('reports when the view last changed through expiry and when it next changes', () => {
    const now = T0 + 10 * 60_000;
    const spec: ViewSpec = { tier: 'full', limit: Infinity, scenarios: [] };
    const view = selectFromRanked(ranked, spec, now, T0 - 3_600_000);
    const untils = all.map((e) => e.until.getTime());
    expect(view.changedAtMs).toBe(Math.max(...untils.filter((u) => u <= now)));
    expect(view.staleAtMs).toBe(Math.min(...untils.filter((u) => u > now)));
  });

  it('keeps the version time when nothing in reach expired', () => {
    const view = selectFromRanked(ranked, { tier: 'full', limit: Infinity, scenarios: [] }, T0 - 60 * 60_000, T0 - 30 * 60_000);
    expect(view.changedAtMs).toBe(T0 - 30 * 60_000);
  });
});
