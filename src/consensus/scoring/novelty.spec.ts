import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing, Scenario } from '../simulator/scenario.js';

interface NoveltyExpect {
  corroboration: ResultListing[];
  literal: ResultListing[];
}

describe('novelty budget (fixture novelty.json)', () => {
  it('ignores exhausted owners, and refunds them once others corroborate the listing', () => {
    const run = runFixture<NoveltyExpect>('novelty');
    expect(run.result.listings).toEqual(run.fixture.expect.corroboration);
    expect(run.engine.counters.noveltyBlocked).toBeGreaterThan(0);
    expect(run.engine.counters.noveltyRefunds).toBe(4);
  });

  it('never refunds in literal mode', () => {
    const run = runFixture<NoveltyExpect>('novelty', { noveltyMode: 'literal' });
    expect(run.result.listings).toEqual(run.fixture.expect.literal);
  });

  it('does not bind while our honeypots see a campaign surge in the same family', () => {
    const surge = (s: Scenario): Scenario => {
      const hp = { id: 'hp', owner: 'quorum', ip: '90.1.1.10', asn: 64590, country: 'FR', enrolledAt: s.start, kind: 'honeypot' as const };
      const sightings = Array.from({ length: 5 }, (_, i) => ({
        t: new Date(Date.parse(s.start) + 150_000 + i).toISOString(),
        type: 'signal' as const,
        agent: 'hp',
        ip: `45.11.0.${i + 1}`,
        scenario: 'crowdsecurity/ssh-bf',
      }));
      const events = [...s.events, ...sightings].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
      return { ...s, owners: [...s.owners, { id: 'quorum' }], agents: [...s.agents, hp], events };
    };
    const run = runFixture<NoveltyExpect>('novelty', { noveltyMode: 'literal', campaignMinNew: 3 }, surge);
    expect(run.result.listings.find((l) => l.ip === '45.8.8.3')?.listedAt).toBe('2026-01-10T00:03:15.000Z');
  });
});
