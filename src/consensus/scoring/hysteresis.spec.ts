import { runFixture } from '../simulator/fixture-run.js';

describe('hysteresis, TTL and cooldown (fixture hysteresis.json)', () => {
  const run = runFixture<{ crossBelowHours: number; removeReason: string }>('hysteresis');
  const [first, second] = run.result.listings;
  const t = (iso: string | null): number => Date.parse(iso ?? '');

  it('keeps a confirmed listing while S + 1.5 H >= 1, long after S fell under θ_add', () => {
    expect(first.listedAt).toBe('2026-01-10T00:01:15.000Z');
    const removed = (t(first.delistedAt) - run.at(60)) / 3_600_000;
    expect(removed).toBeGreaterThanOrEqual(run.fixture.expect.crossBelowHours);
    expect(removed).toBeLessThan(run.fixture.expect.crossBelowHours + 0.5);
  });

  it('removes only after two consecutive runs below θ_keep', () => {
    const crossed = run.at(60) + run.fixture.expect.crossBelowHours * 3_600_000;
    expect(t(first.delistedAt)).toBeGreaterThanOrEqual(crossed + 15_000);
    expect(run.removed[0].removeReason).toBe(run.fixture.expect.removeReason);
  });

  it('waits out the 1 h cooldown before listing again', () => {
    expect(second).toBeDefined();
    const gap = (t(second.listedAt) - t(first.delistedAt)) / 1000;
    expect(gap).toBeGreaterThanOrEqual(3600);
    expect(gap).toBeLessThanOrEqual(3615);
  });
});
