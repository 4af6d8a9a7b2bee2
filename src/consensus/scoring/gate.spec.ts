import { readConsensusFixture } from '../simulator/fixture-file.js';
import { runScenario } from '../simulator/run-scenario.js';
import type { ResultListing, Scenario } from '../simulator/scenario.js';

interface GateFixture {
  scenario: Scenario;
  expect: { listings: ResultListing[] };
}

describe('listing gates (fixture gate.json)', () => {
  const fx = readConsensusFixture<GateFixture>('gate');

  it('lists only the IP with S >= 3 from >= 3 established owners in >= 3 ASNs', () => {
    const result = runScenario(fx.scenario, { clock: () => 0 });
    expect(result.listings).toEqual(fx.expect.listings);
  });

  it('does not list on three votes (S < 3) even though D_AS, V and E are 3', () => {
    const cut = { ...fx.scenario, events: fx.scenario.events.filter((e) => e.t < '2026-01-10T00:10:00.000Z') };
    expect(runScenario(cut, { clock: () => 0 }).listings).toEqual([]);
  });

  it('lists 45.1.1.2 once a third ASN joins (two ASNs are not enough)', () => {
    const extra = { t: '2026-01-10T00:20:00.000Z', type: 'signal' as const, agent: 'a3', ip: '45.1.1.2', scenario: 'crowdsecurity/ssh-bf' };
    const extra2 = { ...extra, agent: 'a4' };
    const result = runScenario({ ...fx.scenario, events: [...fx.scenario.events, extra, extra2] }, { clock: () => 0 });
    expect(result.listings.map((l) => l.ip)).toEqual(['45.1.1.1', '45.1.1.2']);
  });
});
