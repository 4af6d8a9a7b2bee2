import { ipKey, parseIp } from '../../common/ip/ip-address.js';
import { readConsensusFixture } from '../simulator/fixture-file.js';
import { Prng } from '../simulator/generator/prng.js';
import { buildNeverList } from '../simulator/matchers.js';
import { runScenario } from '../simulator/run-scenario.js';
import type { Scenario, ScenarioAgent, ScenarioEvent } from '../simulator/scenario.js';

interface PropertyFixture {
  runs: number;
  eventsPerRun: number;
  neverList: { cidr: string; category: string }[];
  neverListSamples: string[];
  specialPurposeSamples: string[];
  canaries: string[];
  ordinaryPrefixes: string[];
}

const START = Date.parse('2026-02-01T00:00:00.000Z');

function randomScenario(fx: PropertyFixture, seed: number): Scenario {
  const rng = new Prng(seed);
  const agents: ScenarioAgent[] = Array.from({ length: 16 }, (_, i) => ({
    id: `a${i}`,
    owner: `o${i}`,
    ip: `81.${i}.1.10`,
    asn: 64500 + (i % 8),
    country: 'FR',
    enrolledAt: new Date(START - (60 + rng.int(600)) * 86_400_000).toISOString(),
    kind: 'community',
    alpha: 5 + rng.int(200),
    beta: 3 + rng.int(5),
  }));
  agents.push({ id: 'hp', owner: 'quorum', ip: '90.1.1.10', asn: 64590, country: 'FR', enrolledAt: new Date(START).toISOString(), kind: 'honeypot' });
  const ordinary = (): string => {
    const p = rng.pick(fx.ordinaryPrefixes);
    return p.includes(':') ? `${p}${rng.int(4).toString(16)}::${rng.int(65535).toString(16)}` : `${p}${rng.int(4)}.${1 + rng.int(3)}`;
  };
  const pool = [...fx.neverListSamples, ...fx.specialPurposeSamples, '45.99.99.1', '45.99.99.200', '90.1.1.10', ...agents.map((a) => a.ip)];
  const events: ScenarioEvent[] = [];
  for (let i = 0; i < fx.eventsPerRun; i++) {
    const u = rng.next();
    const ip = u < 0.5 ? rng.pick(pool) : ordinary();
    const agent = rng.chance(0.05) ? 'hp' : `a${rng.int(16)}`;
    events.push({ t: new Date(START + rng.int(6 * 3_600_000)).toISOString(), type: 'signal', agent, ip, scenario: 'crowdsecurity/http-probing' });
  }
  events.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  return {
    name: `never-list-${seed}`,
    start: new Date(START).toISOString(),
    end: new Date(START + 8 * 3_600_000).toISOString(),
    params: { noveltyMode: 'off', maxDistinctIpsPerAgentPerDay: 1_000_000 },
    owners: [...new Set(agents.map((a) => a.owner))].map((id) => ({ id })),
    agents,
    neverList: fx.neverList,
    canaries: fx.canaries,
    events,
  };
}

describe('T1 property: never-list addresses are never listed', () => {
  const fx = readConsensusFixture<PropertyFixture>('never-list-property');

  it('holds under random inputs, while ordinary targets do get listed', () => {
    let ordinaryListed = 0;
    for (let seed = 1; seed <= fx.runs; seed++) {
      const scenario = randomScenario(fx, seed);
      // Canaries quarantine whoever reports them; keep reporters alive in half the runs.
      if (seed % 2 === 0) scenario.canaries = [];
      const never = buildNeverList(scenario.neverList, ['90.1.1.10']);
      const result = runScenario(scenario, { clock: () => 0 });
      // Protected targets: egress of agents in good standing (a quarantined agent loses it).
      const quarantined = new Set(result.quarantined.map((q) => q.agent));
      const egress = new Set(scenario.agents.filter((a) => !quarantined.has(a.id)).map((a) => ipKey(parseIp(a.ip) as NonNullable<ReturnType<typeof parseIp>>)));
      for (const l of result.listings) {
        expect({ ip: l.ip, category: never(l.ip) }).toEqual({ ip: l.ip, category: null });
        if (egress.has(l.ip)) expect(l.reason).toBe('honeypot');
      }
      ordinaryListed += result.listings.length;
    }
    expect(ordinaryListed).toBeGreaterThan(fx.runs);
  });

  it('blocks an IPv6 /64 that holds a never-list /128', () => {
    const never = buildNeverList(fx.neverList, []);
    expect(never('2a00:1450:4001:81c::/64')).toBe('crawler');
    expect(never('2001:db8::/64')).toBe('special-purpose');
    expect(never('2a01:4f8:1c0c:1::/64')).toBeNull();
  });
});
