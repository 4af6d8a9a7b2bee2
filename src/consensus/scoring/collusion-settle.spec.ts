import { ConsensusEngine } from './engine.js';

const START = Date.parse('2026-02-01T00:00:00.000Z');
const DAY = 86_400_000;
const SSH = 'crowdsecurity/ssh-bf';
const MEMBERS = 36;

interface Sig {
  at: number;
  reporter: string;
  ip: string;
}

/** Established members, one owner and one ASN each. */
function world(params: Record<string, unknown> = {}): ConsensusEngine {
  const engine = new ConsensusEngine(params);
  for (let i = 0; i < MEMBERS; i++) {
    engine.registerReporter({ id: `v${i}`, ownerId: `ov${i}`, asn: 65000 + i, net: `81.${i}.0.0/24`, country: 'FR', enrolledAt: START - 200 * DAY, alpha: 60, beta: 3 });
  }
  return engine;
}

/**
 * A broad campaign as the real-job test sends it (test/integration/consensus-campaign.int-spec.ts):
 * 300 bots, each seen by 12 of the 36 members (co-victims overlap by a third, a cosine above
 * collusionMinShare), every member reporting each of its bots in one of three waves 10 s apart.
 */
function campaign(): Sig[] {
  const out: Sig[] = [];
  let seed = 8;
  // mulberry32: independent picks (a poor generator would make some members always co-victims).
  const rand = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  for (let j = 0; j < 300; j++) {
    const picked = new Set<number>();
    while (picked.size < 12) picked.add(rand(MEMBERS));
    for (const a of picked) out.push({ at: START + 10_000 * rand(3) + a * 100, reporter: `v${a}`, ip: `45.${60 + (j >> 8)}.${j & 255}.1` });
  }
  return out;
}

/** Feeds signals in time order, ticking at each instant of `ticks`; returns the listed keys. */
function run(engine: ConsensusEngine, signals: Sig[], ticks: number[]): Set<string> {
  const listed = new Set<string>();
  const sorted = [...signals].sort((a, b) => a.at - b.at);
  let i = 0;
  for (const t of ticks) {
    while (i < sorted.length && sorted[i].at <= t) {
      const s = sorted[i++];
      engine.ingest({ reporterId: s.reporter, ipKey: s.ip, scenario: SSH, at: s.at });
    }
    for (const l of engine.tick(t).added) listed.add(l.ipKey);
  }
  return listed;
}

/**
 * An engine whose ssh family is already in a campaign surge, as it is from the scoring run that first
 * sees the campaign's corroborated bots on (the onset itself is tested apart below).
 */
function opened(params: Record<string, unknown> = {}): ConsensusEngine {
  const engine = world(params);
  engine.state.inCampaign = () => true;
  return engine;
}

function every(stepMs: number, untilMs: number): number[] {
  const out: number[] = [];
  for (let t = START + stepMs; t <= START + untilMs; t += stepMs) out.push(t);
  return out;
}

const voters = (engine: ConsensusEngine): string[] => Array.from({ length: MEMBERS }, (_, i) => engine.voterOf(`ov${i}`));
const ownersAlone = Array.from({ length: MEMBERS }, (_, i) => `ov${i}`);

describe('collusion counting does not depend on how signals fall into scoring runs', () => {
  it('co-victims of a campaign stay independent and every bot is listed, with runs every 2 s, 15 s or 60 s', () => {
    const independent: string[][] = [];
    for (const step of [2_000, 15_000, 60_000]) {
      const engine = opened();
      const listed = run(engine, campaign(), every(step, 5 * 60_000));
      expect({ step, listed: listed.size }).toEqual({ step, listed: 300 });
      expect(voters(engine)).toEqual(ownersAlone);
      independent.push([...engine.state.coIndependent].map((x) => engine.state.ips.keys[x]).sort());
    }
    expect(independent[0]).toHaveLength(300);
    expect(independent[1]).toEqual(independent[0]);
    expect(independent[2]).toEqual(independent[0]);
  });

  it('at the onset (seen by scoring, not stubbed), IPs counted before the first run saw the campaign are taken back at their settle instant', () => {
    const engine = world();
    const listed = run(engine, campaign(), every(2_000, 5 * 60_000));
    expect(listed.size).toBe(300);
    expect(voters(engine)).toEqual(ownersAlone);
    expect(engine.state.coIndependent.size).toBe(300);
    expect(engine.state.coVoters.size).toBe(0);
  });

  it('irregular runs (a live worker nudged 2 s after each batch) count the same as a fixed cadence', () => {
    const signals = campaign();
    const nudged = [...new Set(signals.map((s) => s.at + 2_000))].sort((a, b) => a - b);
    const live = opened();
    run(live, signals, [...nudged, ...every(15_000, 5 * 60_000).filter((t) => t > nudged[nudged.length - 1])]);
    const replay = opened();
    run(replay, signals, every(15_000, 5 * 60_000));
    expect(live.state.coIndependent.size).toBe(300);
    expect([...live.state.coIndependent].map((x) => live.state.ips.keys[x]).sort()).toEqual([...replay.state.coIndependent].map((x) => replay.state.ips.keys[x]).sort());
    expect(voters(live)).toEqual(voters(replay));
  });

  it('an IP waiting for its settle instant is still counted after a snapshot and restore', () => {
    const signals = campaign();
    const straight = opened();
    run(straight, signals, every(2_000, 5 * 60_000));
    const first = opened();
    run(first, signals, every(2_000, 10_000));
    expect(first.state.coPending.size).toBeGreaterThan(0);
    const restored = ConsensusEngine.restore(first.snapshot());
    run(restored, signals.filter((s) => s.at > START + 10_000), every(2_000, 5 * 60_000).filter((t) => t > START + 10_000));
    expect(restored.state.coIndependent.size).toBe(straight.state.coIndependent.size);
    expect(voters(restored)).toEqual(ownersAlone);
  });

  it('counting each IP as soon as it has 3 owners (no settle instant) merges the same co-victims', () => {
    const engine = opened({ collusionSettleMs: 0 });
    run(engine, campaign(), every(2_000, 5 * 60_000));
    expect(voters(engine).filter((v, i) => v !== `ov${i}`).length).toBeGreaterThan(0);
  });

  it('outside a campaign a shared list is counted at once (no settle wait) and the ring is merged', () => {
    const engine = world({ campaignMinOwners: 0, collusionLinkThreshold: 5 });
    const signals: Sig[] = [];
    for (let j = 0; j < 12; j++) for (let k = 0; k < 4; k++) signals.push({ at: START + j * 60_000 + k * 5_000, reporter: `v${k}`, ip: `45.62.${j}.1` });
    run(engine, signals, every(15_000, 15 * 60_000));
    expect(engine.voterOf('ov1')).toBe('ov0');
    expect(engine.state.coPending.size).toBe(0);
  });
});
