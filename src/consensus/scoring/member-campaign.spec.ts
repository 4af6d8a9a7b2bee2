import { ConsensusEngine } from './engine.js';

const START = Date.parse('2026-02-01T00:00:00.000Z');
const DAY = 86_400_000;
const SSH = 'crowdsecurity/ssh-bf';

/** Established members, one owner and one ASN each, plus optional ring members sharing 3 ASNs. */
function world(params: Record<string, unknown>, ring = 0): ConsensusEngine {
  const engine = new ConsensusEngine({ noveltyBudget: 2, ...params });
  for (let i = 0; i < 40; i++) {
    engine.registerReporter({ id: `v${i}`, ownerId: `ov${i}`, asn: 65000 + i, net: `81.${i}.0.0/24`, country: 'FR', enrolledAt: START - 200 * DAY, alpha: 40, beta: 3 });
  }
  for (let i = 0; i < ring; i++) {
    engine.registerReporter({ id: `s${i}`, ownerId: `os${i}`, asn: 64900 + (i % 3), net: `82.${i}.0.0/24`, country: 'DE', enrolledAt: START - 200 * DAY, alpha: 40, beta: 3 });
  }
  return engine;
}

/** A campaign with no honeypot: 60 new bots in 5 minutes, each seen by 8 of the 40 members. */
function campaignSignals(): { at: number; reporter: string; ip: string }[] {
  const out: { at: number; reporter: string; ip: string }[] = [];
  for (let j = 0; j < 60; j++) {
    for (let k = 0; k < 8; k++) out.push({ at: START + j * 5_000 + k * 12_000, reporter: `v${(j * 7 + k * 5) % 40}`, ip: `45.60.${j}.1` });
  }
  return out;
}

/** Feeds signals in time order with a 15 s scoring tick; returns listed keys and when. */
function run(engine: ConsensusEngine, signals: { at: number; reporter: string; ip: string }[], until: number): Map<string, number> {
  const listed = new Map<string, number>();
  const sorted = [...signals].sort((a, b) => a.at - b.at);
  let i = 0;
  for (let t = START + 15_000; t <= until; t += 15_000) {
    while (i < sorted.length && sorted[i].at <= t) {
      const s = sorted[i++];
      engine.ingest({ reporterId: s.reporter, ipKey: s.ip, scenario: SSH, at: s.at });
    }
    for (const l of engine.tick(t).added) if (!listed.has(l.ipKey)) listed.set(l.ipKey, t);
  }
  return listed;
}

describe('campaign detection from member evidence', () => {
  it('lifts the novelty budget for a broad campaign that no honeypot sees', () => {
    const engine = world({});
    const listed = run(engine, campaignSignals(), START + 10 * 60_000);
    expect(listed.size).toBe(60);
    // Each bot is listed within 90 s of its first sighting (its third report comes 24 s after).
    for (let j = 0; j < 60; j++) expect((listed.get(`45.60.${j}.1`) ?? Infinity) - (START + j * 5_000)).toBeLessThanOrEqual(90_000);
    // Co-victims are never merged: each member still votes as itself.
    for (let i = 0; i < 40; i++) expect(engine.voterOf(`ov${i}`)).toBe(`ov${i}`);
  });

  it('without member evidence the budget starves the same campaign', () => {
    const listed = run(world({ campaignMinOwners: 0 }), campaignSignals(), START + 5 * 60_000);
    expect(listed.size).toBeLessThan(40);
  });

  it('a ring in 3 ASNs cannot ride the exemption: it stays bound by its own budget', () => {
    const ringSignals = (): { at: number; reporter: string; ip: string }[] => {
      const out: { at: number; reporter: string; ip: string }[] = [];
      for (let j = 0; j < 40; j++) {
        for (let k = 0; k < 4; k++) out.push({ at: START + 30_000 + j * 6_000 + k * 9_000, reporter: `s${(j + k) % 6}`, ip: `77.1.${j}.1` });
      }
      return out;
    };
    const ringListed = (params: Record<string, unknown>): number => {
      const listed = run(world(params, 6), [...campaignSignals(), ...ringSignals()], START + 10 * 60_000);
      return [...listed.keys()].filter((k) => k.startsWith('77.1.')).length;
    };
    const guarded = ringListed({});
    // 6 owners with a budget of 2 and >= 3 voters charged per listing: at most 4 listings.
    expect(guarded).toBeLessThanOrEqual(4);
    // Without the per-IP ASN floor the campaign's exemption would carry the whole list.
    expect(ringListed({ campaignMinAsnsPerIp: 3 })).toBeGreaterThanOrEqual(25);
  });

  it('the same overlap outside a campaign (few new IPs) still counts as dark', () => {
    const engine = world({ campaignMinOwners: 0, collusionLinkThreshold: 5 });
    const signals: { at: number; reporter: string; ip: string }[] = [];
    for (let j = 0; j < 12; j++) for (let k = 0; k < 4; k++) signals.push({ at: START + j * 60_000 + k * 5_000, reporter: `v${k}`, ip: `45.62.${j}.1` });
    run(engine, signals, START + 15 * 60_000);
    expect(engine.voterOf('ov1')).toBe('ov0');
  });
});
