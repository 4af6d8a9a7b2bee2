import { SignalsFeed } from './signals-feed.js';
import type { SignalsFeedRepository } from './signals-feed.repository.js';

const DAY = 86_400_000;

/** SignalsFeed.volumeByFamily over an in-memory signal table: per day and family, closed days cached an hour. */
describe('SignalsFeed.volumeByFamily', () => {
  const today = Date.UTC(2026, 11, 7);
  let rows: Array<{ at: number; scenario: string }>;
  let reads: Array<[number, number]>;
  let feed: SignalsFeed;

  beforeEach(() => {
    rows = [];
    reads = [];
    const repository = {
      scenarioCounts: async (from: Date, to: Date, limit: number) => {
        reads.push([from.getTime(), to.getTime()]);
        const counts = new Map<string, number>();
        for (const r of rows) if (r.at >= from.getTime() && r.at < to.getTime()) counts.set(r.scenario, (counts.get(r.scenario) ?? 0) + 1);
        return [...counts].map(([scenario, signals]) => ({ scenario, signals })).sort((a, b) => b.signals - a.signals).slice(0, limit);
      },
    } as unknown as SignalsFeedRepository;
    feed = new SignalsFeed(repository);
  });

  it('counts each UTC day per family, oldest first, reading one day per call', async () => {
    rows.push({ at: today + 5, scenario: 'crowdsecurity/ssh-bf' }, { at: today + 6, scenario: 'quorum/ssh-slow-bf' }, { at: today - 1, scenario: 'crowdsecurity/http-probing' });
    rows.push({ at: today - 2 * DAY, scenario: 'x/unheard-of' }, { at: today - 3 * DAY, scenario: 'crowdsecurity/ssh-bf' });
    const days = await feed.volumeByFamily(3, new Date(today + 3_600_000));
    expect(days.map((d) => d.day)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
    expect(days.map((d) => d.total)).toEqual([1, 1, 2]);
    expect(days[0].families.other).toBe(1);
    expect(days[1].families.http).toBe(1);
    expect(days[2].families.ssh).toBe(2);
    expect(days[2].families.http).toBe(0);
    expect(reads).toEqual([0, 1, 2].map((i) => [today - (2 - i) * DAY, today - (1 - i) * DAY]));
    expect(days.every((d) => !d.truncated)).toBe(true);
  });

  it('reads today on every call, closed days again only after an hour', async () => {
    rows.push({ at: today - DAY + 1, scenario: 'crowdsecurity/ssh-bf' });
    await feed.volumeByFamily(2, new Date(today + 60_000));
    rows.push({ at: today + 1, scenario: 'crowdsecurity/ssh-bf' }, { at: today - DAY + 2, scenario: 'crowdsecurity/ssh-bf' });
    reads = [];
    const soon = await feed.volumeByFamily(2, new Date(today + 120_000));
    expect(reads).toEqual([[today, today + DAY]]);
    expect(soon.map((d) => d.total)).toEqual([1, 1]);
    const later = await feed.volumeByFamily(2, new Date(today + 60_000 + 3_600_000));
    expect(later.map((d) => d.total)).toEqual([2, 1]);
  });
});
