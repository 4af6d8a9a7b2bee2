import { parseCidr } from '../../common/ip/cidr.js';
import { parseIp } from '../../common/ip/ip-address.js';
import { specialPurpose } from '../../common/ip/special-purpose.js';
import { SUSPICIOUS_MIN_SCORE } from '../index/reputation.js';
import { IndexBuilder } from '../index/index-builder.js';
import type { ScoreFields } from '../index/ip-score-index.js';
import { SCENARIO_SEPARATOR } from '../index/score-columns.js';
import { type PlanRecord, toPolicy } from '../plans/plan.types.js';
import { behaviourOf, behavioursOf, OTHER_BEHAVIOUR } from '../../common/scenarios/behaviours.js';
import { buildIpAnswer } from './ip-answer.js';
import { buildRangeAnswer, rangeProblem } from './range-answer.js';

const plan = (fields: PlanRecord['fields']) =>
  toPolicy({ id: 'p', name: 'P', burstPerSecond: 1, dailyQuota: 1, monthlyQuota: 1, bulkSize: 0, fields, views: ['ip'], priceCents: null, currency: 'usd', updatedAt: new Date(0) });

const listed: ScoreFields = {
  score: 86,
  listed: true,
  listedUntil: 1_800_000_000,
  reporterBucket: 3,
  confidence: 3,
  honeypot: false,
  firstSeen: 1_799_000_000,
  lastSeen: 1_799_900_000,
  scenarios: ['ssh-bf'],
};
const metadata = { asn: 64_500, asName: 'EXAMPLE', country: 'FR' };
const range = { cidr: '203.0.113.0/24', listed: 2, maxScore: 95 };

describe('buildIpAnswer', () => {
  it('returns every field a full plan allows', () => {
    const answer = buildIpAnswer({ ip: '203.0.113.7', fields: listed, neverList: null, reserved: null, metadata, range }, plan(['reporters', 'scenarios', 'history', 'network', 'range']));
    expect(answer).toEqual({
      ip: '203.0.113.7',
      classification: 'malicious',
      reputation: 'malicious',
      evidence: 'trusted',
      score: 86,
      confidence: 'high',
      listed: true,
      listedUntil: '2027-01-15T08:00:00.000Z',
      neverList: null,
      benign: null,
      reserved: null,
      reporters: '6-20',
      scenarios: ['ssh-bf'],
      behaviours: ['SSH brute force'],
      firstSeen: new Date(1_799_000_000_000).toISOString(),
      lastSeen: new Date(1_799_900_000_000).toISOString(),
      asn: 64_500,
      asName: 'EXAMPLE',
      country: 'FR',
      range,
    });
  });

  it('leaves out what the plan does not include', () => {
    const answer = buildIpAnswer({ ip: '203.0.113.7', fields: listed, neverList: null, reserved: null, metadata, range }, plan([]));
    expect(Object.keys(answer).sort()).toEqual(['benign', 'classification', 'confidence', 'evidence', 'ip', 'listed', 'listedUntil', 'neverList', 'reputation', 'reserved', 'score']);
  });

  it('answers unknown IPs, and never calls a never-listed IP malicious or listed', () => {
    expect(buildIpAnswer({ ip: '45.83.0.1', fields: null, neverList: null, reserved: null, metadata: null, range: null }, plan(['reporters']))).toEqual(
      expect.objectContaining({ reputation: 'unknown', score: 0, confidence: 'none', listed: false, listedUntil: null, reporters: null }),
    );
    expect(buildIpAnswer({ ip: '66.249.66.1', fields: listed, neverList: { category: 'crawler', source: 'googlebot' }, reserved: null, metadata: null, range: null }, plan([]))).toEqual(
      expect.objectContaining({ classification: 'benign', reputation: 'benign', listed: false, listedUntil: null, neverList: 'crawler', benign: { category: 'crawler', source: 'googlebot' }, score: 86 }),
    );
  });

  it('classifies suspicious, reported-but-low and reserved IPs', () => {
    const input = { ip: '45.83.0.1', neverList: null, reserved: null, metadata: null, range: null };
    const at = (score: number) => buildIpAnswer({ ...input, fields: { ...listed, listed: false, score } }, plan([])).classification;
    expect([at(SUSPICIOUS_MIN_SCORE), at(SUSPICIOUS_MIN_SCORE - 1)]).toEqual(['suspicious', 'unknown']);
    const block = specialPurpose(parseIp('10.1.2.3')!);
    const reserved = buildIpAnswer({ ...input, ip: '10.1.2.3', fields: listed, neverList: { category: 'cdn', source: 'x' }, reserved: block }, plan(['scenarios']));
    expect(reserved).toEqual(
      expect.objectContaining({ classification: 'reserved', listed: false, score: 0, evidence: 'none', benign: null, scenarios: [], behaviours: [] }),
    );
    expect(reserved.reserved).toEqual({ cidr: '10.0.0.0/8', name: 'Private-Use', rfc: expect.stringContaining('1918') });
  });
});

describe('behaviours', () => {
  it('maps scenario names to plain words, deduplicated in table order, unknown ones as other', () => {
    expect(behaviourOf('crowdsecurity/ssh-bf')).toBe('SSH brute force');
    expect(behaviourOf('quorum/ssh-slow-bf')).toBe('SSH brute force');
    expect(behaviourOf('quorum/ssh-user-enum')).toBe('SSH user enumeration');
    expect(behaviourOf('crowdsecurity/http-probing')).toBe('HTTP vulnerability scanning');
    expect(behaviourOf('quorum/http-sensitive-paths')).toBe('HTTP vulnerability scanning');
    expect(behaviourOf('quorum/http-distributed-bf')).toBe('Web login brute force');
    expect(behaviourOf('crowdsecurity/wordpress-bf')).toBe('Web login brute force');
    expect(behaviourOf('crowdsecurity/mail-bf')).toBe('Mail login brute force');
    expect(behaviourOf('local/whatever')).toBe(OTHER_BEHAVIOUR);
    const names = Object.freeze(['quorum/http-probing', 'x/unheard-of', 'crowdsecurity/ssh-bf', 'quorum/ssh-distributed-bf']);
    expect(behavioursOf(names)).toEqual(['SSH brute force', 'HTTP vulnerability scanning', OTHER_BEHAVIOUR]);
    expect(behavioursOf(names)).toBe(behavioursOf(names));
  });
});

describe('range answers', () => {
  const cidr = (text: string) => parseCidr(text)!;

  it('accepts /16-/24 for IPv4 and /48-/64 for IPv6 only', () => {
    expect(rangeProblem(cidr('10.0.0.0/16'))).toBeNull();
    expect(rangeProblem(cidr('10.0.0.0/24'))).toBeNull();
    expect(rangeProblem(cidr('10.0.0.0/25'))).toMatch(/\/16 to \/24/);
    expect(rangeProblem(cidr('10.0.0.0/8'))).not.toBeNull();
    expect(rangeProblem(cidr('2001:db8::/48'))).toBeNull();
    expect(rangeProblem(cidr('2001:db8::/47'))).toMatch(/\/48 to \/64/);
  });

  it('lists listed members only, skips never-listed ones, and scores the range', () => {
    const builder = new IndexBuilder();
    const row = (ipKey: string, score: number, listedFlag: boolean) => ({
      ipKey,
      score,
      reporters: 3,
      established: 3,
      asns: 3,
      scenarios: ['a', 'b'].join(SCENARIO_SEPARATOR),
      firstSeen: 1,
      lastSeen: 2,
      listed: listedFlag,
      listedUntil: 0,
      honeypot: false,
      version: 1,
    });
    builder.add(row('203.0.113.1', 9, true));
    builder.add(row('203.0.113.2', 6, true));
    builder.add(row('203.0.113.3', 0.5, false));
    builder.add(row('203.0.114.1', 9, true));
    const answer = buildRangeAnswer(builder.build(1), cidr('203.0.113.0/24'), plan([]), 100, (key) => key === '203.0.113.2');
    expect(answer).toEqual({ cidr: '203.0.113.0/24', scored: 3, listed: 1, maxScore: 95, score: 99, members: [{ ip: '203.0.113.1', score: 95, listedUntil: null }], truncated: false });
  });
});
