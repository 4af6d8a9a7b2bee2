import { networkKey, parseIp, ipKey } from '../../common/ip/ip-address.js';
import { findVariants } from '../simulator/generator/catalogue.js';
import { generate } from '../simulator/generator/generate.js';
import { buildCanaries, buildNeverList } from '../simulator/matchers.js';
import { runScenario } from '../simulator/run-scenario.js';
import type { Scenario } from '../simulator/scenario.js';
import { ConsensusEngine } from './engine.js';
import type { EngineOptions } from './types.js';

const SMALL = { agents: 200, asns: 25, honeypots: 5, honeypotAsns: 5, attackersPerDay: 200, days: 3, warmupDays: 1 };

function options(s: Scenario): EngineOptions {
  return { neverList: buildNeverList(s.neverList, []), canary: buildCanaries(s.canaries) };
}

function fresh(s: Scenario): ConsensusEngine {
  const engine = new ConsensusEngine(s.params ?? {}, options(s));
  for (const a of s.agents) {
    const ip = parseIp(a.ip);
    engine.registerReporter({ id: a.id, ownerId: a.owner, asn: a.asn, net: ip === null ? a.ip : networkKey(ip), country: a.country, enrolledAt: Date.parse(a.enrolledAt), kind: a.kind, alpha: a.alpha, beta: a.beta });
  }
  return engine;
}

/** Replays with the public API; `swap` may replace the engine between ticks. */
function replay(s: Scenario, swap?: (e: ConsensusEngine, now: number) => ConsensusEngine): string[] {
  let engine = fresh(s);
  const log: string[] = [];
  const tick = engine.params.tickMs;
  let next = Date.parse(s.start) + tick;
  let day = Math.floor(Date.parse(s.start) / 86_400_000);
  const run = (now: number): void => {
    if (swap !== undefined) engine = swap(engine, now);
    if (Math.floor(now / 86_400_000) > day) {
      day = Math.floor(now / 86_400_000);
      engine.dailyMaintenance(now);
    }
    const r = engine.tick(now);
    for (const l of r.added) log.push(`+${now} ${l.ipKey} ${l.reason} ${l.explanation.S}`);
    for (const l of r.removed) log.push(`-${now} ${l.ipKey} ${l.removeReason}`);
    for (const q of r.quarantined) log.push(`q${q.at} ${q.reporterId}`);
  };
  for (const ev of s.events) {
    if (ev.type !== 'signal') continue;
    const t = Date.parse(ev.t);
    for (; next <= t; next += tick) run(next);
    const ip = parseIp(ev.ip);
    if (ip === null) continue;
    engine.ingest({ reporterId: ev.agent, ipKey: ipKey(ip), targetNet: networkKey(ip), scenario: ev.scenario, at: t });
  }
  for (const end = Date.parse(s.end); next <= end; next += tick) run(next);
  log.push(JSON.stringify(engine.counters));
  return log;
}

describe('determinism and snapshot/restore', () => {
  const { scenario } = generate(findVariants('A1:shared60')[0], 7, SMALL);

  let source: ConsensusEngine | undefined;
  const first = runScenario(scenario, { clock: () => 0, onEnd: (e) => (source = e) });

  it('gives the same result for the same inputs', () => {
    const again = runScenario(scenario, { clock: () => 0 });
    expect(first.listings.length).toBeGreaterThan(20);
    expect(again).toEqual(first);
  });

  it('continues exactly after a JSON round trip of the whole state', () => {
    const straight = replay(scenario);
    const cut = Date.parse(scenario.start) + 1.6 * 86_400_000;
    let restored = false;
    const resumed = replay(scenario, (engine, now) => {
      if (restored || now < cut) return engine;
      restored = true;
      const json = JSON.parse(JSON.stringify(engine.snapshot())) as ReturnType<ConsensusEngine['snapshot']>;
      return ConsensusEngine.restore(json, options(scenario));
    });
    expect(restored).toBe(true);
    expect(resumed).toEqual(straight);
  });

  it('moves one IP and its reporters into another engine', () => {
    const engine = source as ConsensusEngine;
    // Collusion clusters are engine-wide state: pick an IP no merged (sybil) owner voted for.
    const key = engine.listedKeys().find((k) => engine.snapshotIp(k)?.votes.every((v) => !v.reporter.startsWith('sy'))) ?? '';
    const snap = engine.snapshotIp(key);
    expect(snap).not.toBeNull();
    const target = new ConsensusEngine(scenario.params ?? {});
    const reporters = [...(snap?.votes ?? []).map((v) => v.reporter), ...(snap?.listing?.voters ?? [])];
    for (const id of reporters) {
      const r = engine.snapshotReporter(id);
      if (r !== null && target.reporterIndex(r.id) < 0) target.restoreReporter(r);
    }
    target.restoreIp(JSON.parse(JSON.stringify(snap)) as NonNullable<typeof snap>);
    const now = Date.parse(scenario.end);
    expect(target.snapshotIp(key)).toEqual(snap);
    expect(target.explain(key, now)).toEqual(engine.explain(key, now));
  });
});
