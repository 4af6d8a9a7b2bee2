import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing } from '../simulator/scenario.js';

interface DelistingExpect {
  listings: ResultListing[];
  quarantined: { agent: string; at: string }[];
  betaAfter: Record<string, number>;
}

describe('delisting path (fixture delisting.json)', () => {
  const run = runFixture<DelistingExpect>('delisting');

  it('suppresses at the request unless a honeypot saw the IP, and re-lists after a rejected review', () => {
    expect(run.result.listings).toEqual(run.fixture.expect.listings);
  });

  it('protects an upheld IP for 30 days: established votes alone no longer list it', () => {
    expect(run.result.listings.filter((l) => l.ip === '45.7.7.1')).toHaveLength(1);
    expect(run.engine.explain('45.7.7.1', run.at(10_900))?.E).toBe(4);
  });

  it('penalises every voter +3 per upheld case and quarantines at the third in 30 days', () => {
    expect(run.result.quarantined).toEqual(run.fixture.expect.quarantined);
    for (const [agent, beta] of Object.entries(run.fixture.expect.betaAfter)) {
      expect(run.engine.reporter(agent, run.at(0))?.beta).toBeCloseTo(beta, 9);
    }
    expect(run.removed.filter((l) => l.ipKey === '45.7.7.1').map((l) => l.removeReason)).toEqual(['suppressed']);
  });
});
