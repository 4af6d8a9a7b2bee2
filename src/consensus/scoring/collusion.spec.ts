import { expandScenario, readConsensusFixture, type CompactScenario } from '../simulator/fixture-file.js';
import { runScenario } from '../simulator/run-scenario.js';
import type { Scenario, ScenarioEvent } from '../simulator/scenario.js';
import type { ConsensusEngine } from './engine.js';

interface CollusionFixture {
  scenario: CompactScenario;
  ring: { agents: string[]; targets: number; prefix: string; at: number };
  expect: { listings: unknown[]; voter: string };
}

function withEvents(s: Scenario, events: ScenarioEvent[]): Scenario {
  return { ...s, events: [...events].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)) };
}

function replay(s: Scenario, params: Record<string, unknown> = {}): { listings: unknown[]; engine: ConsensusEngine } {
  let engine: ConsensusEngine | undefined;
  const result = runScenario(s, { params, clock: () => 0, onEnd: (e) => (engine = e) });
  return { listings: result.listings, engine: engine as ConsensusEngine };
}

describe('collusion detector (fixture collusion.json)', () => {
  const fx = readConsensusFixture<CollusionFixture>('collusion');
  const base = expandScenario('collusion', fx.scenario);
  const at = new Date(Date.parse(base.start) + fx.ring.at * 1000).toISOString();
  const ringEvents = (targets: number): ScenarioEvent[] =>
    fx.ring.agents.flatMap((agent) =>
      Array.from({ length: targets }, (_, i) => ({ t: at, type: 'signal' as const, agent, ip: `${fx.ring.prefix}${i + 1}`, scenario: 'crowdsecurity/ssh-bf' })),
    );

  it('merges a ring pushing a shared list of dark IPs before it can list any', () => {
    const { listings, engine } = replay(withEvents(base, ringEvents(fx.ring.targets)));
    expect(listings).toEqual(fx.expect.listings);
    for (const owner of ['o1', 'o2', 'o3', 'o4']) expect(engine.voterOf(owner)).toBe(fx.expect.voter);
  });

  it('does not merge below the threshold: the same ring with 10 shared IPs lists them', () => {
    const { listings, engine } = replay(withEvents(base, ringEvents(10)));
    expect(listings).toHaveLength(10);
    expect(engine.voterOf('o2')).toBe('o2');
  });

  it('does not merge two heavy reporters whose shared dark IPs are a small share of what they report', () => {
    const extra = Array.from({ length: 30 }, (_, k) => ({ id: `g${k}`, owner: `g${k}`, ip: `70.${k}.1.10`, asn: 65000 + k, country: 'FR', enrolledAt: base.agents[0].enrolledAt, kind: 'community' as const, alpha: 40, beta: 3 }));
    const s: Scenario = { ...base, owners: [...base.owners, ...extra.map((a) => ({ id: a.owner }))], agents: [...base.agents, ...extra] };
    const events: ScenarioEvent[] = [];
    const start = Date.parse(base.start);
    for (let i = 0; i < 100; i++) {
      const t = new Date(start + 60_000 + i * 30_000).toISOString();
      const sig = (agent: string, ip: string): ScenarioEvent => ({ t, type: 'signal', agent, ip, scenario: 'crowdsecurity/ssh-bf' });
      const shared = i >= 84;
      events.push(sig('r1', `46.0.${i}.1`), sig(`g${i % 30}`, `46.0.${i}.1`), sig(`g${(i + 1) % 30}`, `46.0.${i}.1`));
      events.push(sig(shared ? 'r1' : `g${(i + 3) % 30}`, `46.1.${i}.1`), sig('r2', `46.1.${i}.1`), sig(`g${(i + 2) % 30}`, `46.1.${i}.1`));
    }
    const { engine } = replay(withEvents(s, events), { noveltyMode: 'off' });
    expect(engine.counters.signals).toBe(600);
    expect(engine.voterOf('o2')).toBe('o2');
    expect(engine.counters.collusionLinks).toBe(0);
  });
});
