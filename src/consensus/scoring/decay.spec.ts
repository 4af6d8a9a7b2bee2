import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing } from '../simulator/scenario.js';

describe('vote decay and TTL (fixture decay.json)', () => {
  const run = runFixture<{ listings: ResultListing[]; decayAtHours: [number, number][] }>('decay');

  it('halves every vote each 24 h and drops votes older than 72 h', () => {
    for (const [hours, factor] of run.fixture.expect.decayAtHours) {
      const now = run.at(60 + hours * 3600);
      // Same weight for all four (the daily forgetting at midnight changed it a little).
      const w = run.engine.reporter('a1', now)?.weight ?? NaN;
      const s = run.engine.explain('45.2.2.2', now);
      expect(s?.S).toBeCloseTo(4 * w * factor, 6);
    }
  });

  it('lists at the next tick and expires an unconfirmed listing 24 h after its last evidence', () => {
    expect(run.result.listings).toEqual(run.fixture.expect.listings);
  });
});
