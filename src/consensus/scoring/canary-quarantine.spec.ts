import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing } from '../simulator/scenario.js';

describe('dark canary quarantine (fixture canary-quarantine.json)', () => {
  const run = runFixture<{ listings: ResultListing[]; quarantined: { agent: string; at: string }[]; votersAfter: number }>('canary-quarantine');

  it('quarantines at once although the reporter is past its daily cap', () => {
    expect(run.result.quarantined).toEqual(run.fixture.expect.quarantined);
    expect(run.engine.counters.ignoredRateCap).toBe(1);
    expect(run.engine.counters.canaryHits).toBe(1);
  });

  it('adds +50 negative evidence and zero weight', () => {
    const r = run.engine.reporter('r', run.at(600));
    expect(r?.beta).toBe(53);
    expect(r?.weight).toBe(0);
  });

  it('withdraws its votes and rescores the IPs it voted for', () => {
    expect(run.engine.explain('45.5.5.5', run.at(330))?.V).toBe(run.fixture.expect.votersAfter);
    expect(run.result.listings).toEqual(run.fixture.expect.listings);
  });
});
