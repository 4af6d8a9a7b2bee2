import { ipKey, parseIp } from '../../../common/ip/ip-address.js';
import { buildNeverList } from '../matchers.js';
import { validateScenario } from '../scenario.js';
import { CATALOGUE, findVariants } from './catalogue.js';
import { generate } from './generate.js';
import { Prng } from './prng.js';

const SMALL = { agents: 150, asns: 20, honeypots: 4, honeypotAsns: 4, attackersPerDay: 100, days: 3, warmupDays: 1 };

describe('scenario generator', () => {
  it('covers every adversary family A0-A8', () => {
    expect([...new Set(CATALOGUE.map((v) => v.family))].sort()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8']);
    expect(() => findVariants('A9')).toThrow(/unknown family/);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const v = findVariants('A1:disjoint20')[0];
    const a = generate(v, 3, SMALL);
    expect(generate(v, 3, SMALL)).toEqual(a);
    expect(generate(v, 4, SMALL).scenario.events).not.toEqual(a.scenario.events);
  });

  it('writes valid, time-sorted scenarios whose ground truth matches the events', () => {
    const { scenario, truth } = generate(findVariants('A1:shared60')[0], 1, SMALL);
    expect(validateScenario(JSON.parse(JSON.stringify(scenario)))).toBeDefined();
    const times = scenario.events.map((e) => e.t);
    expect([...times].sort()).toEqual(times);
    expect(truth.adversaries).toHaveLength(60);
    const sybils = new Set(truth.adversaries.map((a) => a.agent));
    const targets = new Set(truth.innocent.filter((i) => i.kind === 'competitor' || i.kind === 'residential').map((i) => i.ip));
    const reported = new Set(scenario.events.filter((e) => e.type === 'signal' && sybils.has(e.agent) && e.t >= truth.attackStart).map((e) => (e.type === 'signal' ? e.ip : '')));
    for (const t of targets) expect(reported.has(t)).toBe(true);
    const never = buildNeverList(scenario.neverList, []);
    for (const a of truth.attackers.slice(0, 200)) expect(never(ipKey(parseIp(a.ip)!))).toBeNull();
    expect(Object.keys(truth.contacts).length).toBeGreaterThan(100);
  });

  it('A8 campaigns attack member servers only (no honeypot) and record their T8 scope', () => {
    const { scenario, truth } = generate(findVariants('A8:ring-inside-b3k')[0], 1, { ...SMALL, agents: 400 });
    const honeypots = new Set(scenario.agents.filter((a) => a.kind === 'honeypot').map((a) => a.id));
    const bots = new Set(truth.attackers.filter((a) => a.bot === true).map((a) => a.ip));
    expect(bots.size).toBe(3000);
    const botSignals = scenario.events.filter((e) => e.type === 'signal' && bots.has(e.ip));
    expect(botSignals.length).toBeGreaterThan(3000);
    expect(botSignals.some((e) => e.type === 'signal' && honeypots.has(e.agent))).toBe(false);
    expect(truth.campaignMinutes).toBe(10);
    expect(truth.campaignVictimOwners).toBeGreaterThanOrEqual(50);
    expect(truth.campaignVictimAsns).toBeGreaterThanOrEqual(10);
    const sybils = new Set(truth.adversaries.map((a) => a.agent));
    expect(sybils.size).toBe(20);
    expect(botSignals.some((e) => e.type === 'signal' && sybils.has(e.agent))).toBe(true);
    const start = Date.parse(truth.campaignStart ?? '');
    const targets = new Set(truth.innocent.filter((i) => i.kind === 'competitor' || i.kind === 'residential').map((i) => i.ip));
    expect(targets.size).toBe(100);
    const ringFirst = scenario.events.filter((e) => e.type === 'signal' && sybils.has(e.agent) && targets.has(e.ip)).map((e) => Date.parse(e.t));
    expect(Math.min(...ringFirst)).toBeGreaterThanOrEqual(start);
    expect(Math.min(...ringFirst)).toBeLessThan(start + 10 * 60_000);
  });

  it('draws the doc distributions from a seeded PRNG', () => {
    const rng = new Prng(42);
    const xs = Array.from({ length: 20_000 }, () => rng.pareto(1.2, 1, 1000));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(xs.filter((x) => x >= 10).length / xs.length).toBeCloseTo(Math.pow(10, -1.2), 1);
    const l = Array.from({ length: 20_000 }, () => rng.lognormal(60, 0.8)).sort((a, b) => a - b);
    expect(l[10_000] / 60).toBeCloseTo(1, 1);
  });
});
