import { ConsensusEngine } from './engine.js';
import { missingEvidence } from './missing.js';
import { resolveParams } from './params.js';

const START = Date.parse('2026-03-01T00:00:00.000Z');
const SSH = 'crowdsecurity/ssh-bf';

describe('vouched (internal) fleets', () => {
  /** A new self-hosted deployment: four fresh agents of three organisations behind one network. */
  function deployment(): ConsensusEngine {
    const engine = new ConsensusEngine({});
    const agents: [string, string][] = [['a1', 'org1'], ['a2', 'org1'], ['a3', 'org2'], ['a4', 'org3']];
    for (const [id, owner] of agents) engine.registerReporter({ id, ownerId: owner, asn: 64512, net: '10.1.2.0/24', country: 'FR', enrolledAt: START });
    for (const [id] of agents) engine.ingest({ reporterId: id, ipKey: '45.9.9.9', scenario: SSH, at: START + 60_000 });
    return engine;
  }

  it('lists nothing while the fleet is young and on one network', () => {
    const engine = deployment();
    expect(engine.tick(START + 75_000).added).toEqual([]);
    const e = engine.explain('45.9.9.9', START + 75_000);
    expect(e).toEqual(expect.objectContaining({ V: 0, E: 0 }));
  });

  it('organisations vouched as internal count as established and as their own networks, from the next run', () => {
    const engine = deployment();
    engine.tick(START + 75_000);
    expect(engine.setInternalOwners(['org1', 'org2', 'org3'])).toBe(4);
    const added = engine.tick(START + 90_000).added.map((l) => l.ipKey);
    expect(added).toEqual(['45.9.9.9']);
    // Two internal organisations are not enough: the diversity gate counts organisations.
    const two = deployment();
    two.setInternalOwners(['org1', 'org2']);
    expect(two.tick(START + 90_000).added).toEqual([]);
  });

  it('withdrawing the vouch takes effect at the next run and survives a snapshot', () => {
    const engine = deployment();
    engine.setInternalOwners(['org1', 'org2', 'org3']);
    const restored = ConsensusEngine.restore(engine.snapshot());
    expect(restored.reporter('a3', START)?.weight).toBeGreaterThan(0.5);
    restored.setInternalOwners([]);
    expect(restored.reporter('a3', START)?.weight).toBe(0);
    expect(restored.tick(START + 90_000).added).toEqual([]);
  });
});

describe('explaining what an unlisted IP lacks', () => {
  const p = resolveParams({});

  it('names the missing owners, networks and probation, with counts only', () => {
    expect(missingEvidence(p, { S: 0.9, V: 1, E: 1, dAs: 1, honeypot: false, probation: 3 })).toEqual([
      'needs 2 more independent established owners in other networks',
      '3 reporting owners are still in the 14-day probation period (their reports do not count yet)',
    ]);
    expect(missingEvidence(p, { S: 2.4, V: 3, E: 3, dAs: 2, honeypot: false, probation: 0 })).toEqual(['needs reports from 1 more network (ASN)']);
    expect(missingEvidence(p, { S: 1.8, V: 3, E: 3, dAs: 3, honeypot: false, probation: 0 })).toEqual(['needs more trusted evidence (score 1.80 of 2)']);
    expect(missingEvidence(p, { S: 3, V: 4, E: 4, dAs: 4, honeypot: false, probation: 0 })).toEqual([]);
  });
});
