import { ConsensusEngine } from './engine.js';

const START = Date.parse('2026-02-01T00:00:00.000Z');
const DAY = 86_400_000;
const SSH = 'crowdsecurity/ssh-bf';

function engineWith(ring: number): ConsensusEngine {
  const engine = new ConsensusEngine({});
  for (let i = 0; i < ring; i++) {
    engine.registerReporter({ id: `s${i}`, ownerId: `os${i}`, asn: 64900 + i, net: `82.${i}.0.0/24`, country: 'DE', enrolledAt: START - 200 * DAY, alpha: 40, beta: 3 });
  }
  for (let i = 0; i < 6; i++) {
    engine.registerReporter({ id: `h${i}`, ownerId: `oh${i}`, asn: 65100 + i, net: `83.${i}.0.0/24`, country: 'FR', enrolledAt: START - 200 * DAY, alpha: 40, beta: 3 });
  }
  // One honest owner with three agents in three networks.
  for (let i = 0; i < 3; i++) {
    engine.registerReporter({ id: `m${i}`, ownerId: 'om', asn: 65200 + i, net: `84.${i}.0.0/24`, country: 'NL', enrolledAt: START - 200 * DAY, alpha: 40, beta: 3 });
  }
  return engine;
}

describe('sybil cost: contradicted claims quarantine without any listing', () => {
  it('a ring sharing a list is merged, lists nothing, and is quarantined once its claims are judged', () => {
    const engine = engineWith(5);
    for (let j = 0; j < 40; j++) for (let i = 0; i < 5; i++) engine.ingest({ reporterId: `s${i}`, ipKey: `77.2.${j}.1`, scenario: SSH, at: START + i * 1_000 });
    // Honest controls: an IP that three independent owners report, and one that only the three
    // agents of one honest owner see.
    for (const h of ['h0', 'h1', 'h2']) engine.ingest({ reporterId: h, ipKey: '45.80.0.1', scenario: SSH, at: START });
    for (const m of ['m0', 'm1', 'm2']) engine.ingest({ reporterId: m, ipKey: '45.80.0.2', scenario: SSH, at: START });
    expect(engine.tick(START + 15_000).added.map((l) => l.ipKey)).toEqual(['45.80.0.1']);
    expect(engine.voterOf('os4')).toBe('os0');

    engine.dailyMaintenance(START + 4 * DAY);
    const { quarantined } = engine.tick(START + 4 * DAY + 15_000);
    expect(quarantined.map((q) => q.reporterId).sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(new Set(quarantined.map((q) => q.reason))).toEqual(new Set(['contradicted']));
    // 40 claims each from the ring, 3 from the honest owner's agents (one IP), none from independent owners.
    expect(engine.counters.contradicted).toBe(5 * 25 + 3);
    for (const id of ['h0', 'h1', 'h2', 'm0', 'm1', 'm2']) expect(engine.isQuarantined(id)).toBe(false);
    expect(engine.reporter('m0', START + 4 * DAY)?.beta).toBeCloseTo(3.55, 2);
  });

  it('a snapshot keeps the claims counted so far', () => {
    const engine = engineWith(3);
    for (let j = 0; j < 20; j++) for (let i = 0; i < 3; i++) engine.ingest({ reporterId: `s${i}`, ipKey: `77.3.${j}.1`, scenario: SSH, at: START + i * 1_000 });
    engine.tick(START + 15_000);
    engine.dailyMaintenance(START + 4 * DAY);
    const restored = ConsensusEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.snapshot().reporters.find((r) => r.id === 's0')?.contradicted).toHaveLength(20);
    expect(restored.snapshot().version).toBe(2);
  });
});
