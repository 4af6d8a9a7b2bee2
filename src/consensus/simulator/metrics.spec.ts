import type { GroundTruth } from './generator/ground-truth.js';
import { computeMetrics } from './metrics.js';
import { naiveListings } from './naive.js';
import type { Scenario, ScenarioResult } from './scenario.js';

const T0 = Date.parse('2026-01-10T00:00:00.000Z');
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();
const sig = (s: number, agent: string, ip: string) => ({ t: iso(s), type: 'signal' as const, agent, ip, scenario: 'x/ssh-bf' });

const scenario: Scenario = {
  name: 'm',
  start: iso(0),
  end: iso(10 * 3600),
  owners: [],
  agents: [],
  neverList: [{ cidr: '66.249.64.0/19', category: 'crawler' }],
  canaries: [],
  events: [sig(0, 'a', '45.0.0.1'), sig(10, 'b', '45.0.0.1'), sig(20, 'c', '45.0.0.1'), sig(30, 'a', '45.0.0.2'), sig(40, 'b', '45.0.0.2')],
};

const truth: GroundTruth = {
  family: 'T',
  variant: 't',
  seed: 1,
  start: iso(0),
  end: iso(10 * 3600),
  attackStart: iso(0),
  description: '',
  attackers: [{ ip: '45.0.0.1', firstContact: iso(0), lastContact: iso(3600), cgnat: false, reassignedAt: iso(5 * 3600), breadth: 3 }],
  contacts: { '45.0.0.1': [0, 100, 1000, 3600] },
  innocent: [{ ip: '45.0.0.9', kind: 'competitor' }],
  adversaries: [],
  honestAgents: 3,
};

describe('metrics (computed outside the engine)', () => {
  it('lists naively at the tick after the third distinct reporter, for 24 h after the last report', () => {
    const naive = naiveListings(scenario);
    expect(naive.get('45.0.0.1')).toEqual([{ from: T0 + 30_000, to: T0 + 10 * 3_600_000 }]);
    expect(naive.has('45.0.0.2')).toBe(false);
  });

  it('computes coverage, IP-time precision with reassignment collateral, and innocent listings', () => {
    const result: ScenarioResult = {
      name: 'm',
      listings: [
        { ip: '45.0.0.1', listedAt: iso(60), delistedAt: iso(7 * 3600), reason: 'consensus' },
        { ip: '45.0.0.9', listedAt: iso(0), delistedAt: iso(3600), reason: 'consensus' },
        { ip: '66.249.66.1', listedAt: iso(0), delistedAt: iso(3600), reason: 'consensus' },
      ],
      quarantined: [],
      stats: { events: 5, wallSeconds: 1, eventsPerSecond: 5 },
    };
    const m = computeMetrics(scenario, result, truth);
    expect(m.coverage).toBeCloseTo(3 / 4, 9);
    expect(m.naiveCoverage).toBeCloseTo(3 / 4, 9);
    const listedHours = (7 * 3600 - 60) / 3600 + 1 + 1;
    expect(m.listedHours).toBeCloseTo(listedHours, 6);
    expect(m.precision).toBeCloseTo((5 * 3600 - 60) / 3600 / listedHours, 6);
    expect(m.falsePositives).toMatchObject({ reassigned: 1, innocentTarget: 1, neverList: 1 });
    expect(m.innocentListed).toBe(1);
  });
});
