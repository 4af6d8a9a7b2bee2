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

  it('a ring in 3 ASNs among the victims lists almost nothing while the surge lasts', () => {
    const ringSignals = (): { at: number; reporter: string; ip: string }[] => {
      const out: { at: number; reporter: string; ip: string }[] = [];
      for (let j = 0; j < 40; j++) {
        for (let k = 0; k < 4; k++) out.push({ at: START + 30_000 + j * 6_000 + k * 9_000, reporter: `s${(j + k) % 6}`, ip: `77.1.${j}.1` });
      }
      return out;
    };
    const ringListed = (params: Record<string, unknown>): number => {
      const listed = run(world({ collusionSuspectCount: 5, ...params }, 6), [...campaignSignals(), ...ringSignals()], START + 10 * 60_000);
      return [...listed.keys()].filter((k) => k.startsWith('77.1.')).length;
    };
    // Below the per-IP ASN floor, voters that already share collusionSuspectCount dark IPs are
    // not paid from the budget during the surge (the ring's sybils are victims too, and look like
    // co-victims for the first minutes): the ring, which starts 30 s into the campaign, lists at
    // most what passes before the campaign is seen or before its pairs share 5 IPs (4 of 6 sybils
    // per IP: about 12 IPs).
    expect(ringListed({})).toBeLessThanOrEqual(3);
    // With the hold off (the default): 6 owners with a budget of 2 and >= 3 voters charged per
    // listing, at most 4 listings.
    expect(ringListed({ collusionSuspectCount: 0 })).toBeLessThanOrEqual(4);
    // Without the per-IP ASN floor the campaign's exemption would carry the whole list.
    expect(ringListed({ campaignMinAsnsPerIp: 3 })).toBeGreaterThanOrEqual(25);
  });
});

describe('member evidence across a snapshot and restore', () => {
  /** Ingests the signals after `from` and ticks every 15 s until `until`; returns the keys listed. */
  function feed(engine: ConsensusEngine, signals: { at: number; reporter: string; ip: string }[], from: number, until: number): string[] {
    const listed: string[] = [];
    const sorted = signals.filter((x) => x.at > from).sort((a, b) => a.at - b.at);
    let i = 0;
    for (let t = from + 15_000; t <= until; t += 15_000) {
      while (i < sorted.length && sorted[i].at <= t) {
        const x = sorted[i++];
        engine.ingest({ reporterId: x.reporter, ipKey: x.ip, scenario: SSH, at: x.at });
      }
      listed.push(...engine.tick(t).added.map((l) => l.ipKey));
    }
    return listed;
  }

  it('an IP counted before the snapshot is not counted again after the restore', () => {
    const cut = START + 2 * 60_000;
    const end = START + 6 * 60_000;
    const straight = world({});
    const listedStraight = feed(straight, campaignSignals(), START, end);
    const first = world({});
    const before = feed(first, campaignSignals(), START, cut);
    // IPs already counted as member evidence and not listed yet (the novelty budget held them) are
    // exactly those a restore could count a second time.
    const held = first.state.ips.keys.filter((_k, x) => first.state.ips.campaignCounted[x] === 1 && first.state.ips.lastListing[x] === undefined);
    expect(held.length).toBeGreaterThan(0);
    const restored = ConsensusEngine.restore(first.snapshot());
    const after = feed(restored, campaignSignals(), cut, end);
    expect(restored.state.memberCampaigns.export()).toEqual(straight.state.memberCampaigns.export());
    expect([...before, ...after].sort()).toEqual([...listedStraight].sort());
  });
});

describe('few-ASN listings paid from the novelty budget (collusionSuspectCount 5)', () => {
  const report = (engine: ConsensusEngine, at: number, ip: string, reporters: string[]): void => {
    for (const r of reporters) engine.ingest({ reporterId: r, ipKey: ip, scenario: SSH, at });
  };

  /**
   * A burst of 25 new IPs (fewer than campaignMinNew: no surge), each corroborated in 3 ASNs by one
   * of three trios that each report 8 or 9 of them together: suspect pairs (>= collusionSuspectCount
   * shared dark IPs) not linked yet (< collusionLinkThreshold), like a ring's first minutes.
   */
  const burst = (engine: ConsensusEngine, at: number): void => {
    for (let j = 0; j < 25; j++) report(engine, at, `45.71.${j}.1`, [`v${j % 3}`, `v${(j % 3) + 10}`, `v${(j % 3) + 20}`]);
  };

  it('list at once in quiet times', () => {
    const engine = world({ collusionSuspectCount: 5 });
    report(engine, START, '45.70.0.1', ['v1', 'v2', 'v3']);
    expect(engine.tick(START + 15_000).added).toHaveLength(1);
  });

  it('once their family is warming up, wait fewAsnSettleMs after their first report, then list', () => {
    const engine = world({ noveltyBudget: 10, collusionSuspectCount: 5 });
    burst(engine, START);
    // The first campaignWarmNew - 1 = 9 pass before the burst is seen; the other 16 wait.
    expect(engine.tick(START + 15_000).added).toHaveLength(9);
    expect(engine.counters.settleHeld).toBe(16);
    expect(engine.tick(START + 9 * 60_000).added).toHaveLength(0);
    expect(engine.tick(START + 10 * 60_000).added).toHaveLength(16);
  });

  it('list at once during a burst with the wait disabled, or with voters in as many ASNs as the floor', () => {
    const off = world({ noveltyBudget: 10, fewAsnSettleMs: 0, collusionSuspectCount: 5 });
    burst(off, START);
    expect(off.tick(START + 15_000).added).toHaveLength(25);
    const wide = world({ noveltyBudget: 10, collusionSuspectCount: 5 });
    burst(wide, START);
    report(wide, START, '45.79.0.3', ['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(wide.tick(START + 15_000).added.map((l) => l.ipKey)).toContain('45.79.0.3');
    expect(wide.counters.settleHeld).toBe(16);
  });

  it('never hold voters without a shared history, during a burst or a surge', () => {
    // An IP three owners report that have not co-reported anything (docs/consensus.md §2): the
    // family is warming up, yet it lists at once.
    const warm = world({ noveltyBudget: 10, collusionSuspectCount: 5 });
    burst(warm, START);
    report(warm, START, '45.79.0.4', ['v30', 'v31', 'v32']);
    expect(warm.tick(START + 15_000).added.map((l) => l.ipKey)).toContain('45.79.0.4');
    // The same during a confirmed member surge (a budget that the campaign does not exhaust).
    const surge = world({ noveltyBudget: 10, collusionSuspectCount: 5 });
    const listed = run(surge, campaignSignals(), START + 4 * 60_000);
    expect(listed.size).toBeGreaterThan(30);
    report(surge, START + 4 * 60_000, '45.79.0.5', ['v33', 'v34', 'v35']);
    expect(surge.tick(START + 4 * 60_000 + 15_000).added.map((l) => l.ipKey)).toContain('45.79.0.5');
  });
});
