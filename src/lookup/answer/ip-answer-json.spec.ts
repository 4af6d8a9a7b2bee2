// The first-packet serialiser and time formatter agree with JSON.stringify and Date on random answers.
// FUZZ_SEED=<n> replays a run.
import { parseIp } from '../../common/ip/ip-address.js';
import { specialPurpose } from '../../common/ip/special-purpose.js';
import { behavioursOf } from '../../common/scenarios/behaviours.js';
import type { ScoreFields } from '../index/ip-score-index.js';
import { type PlanRecord, toPolicy } from '../plans/plan.types.js';
import { SeededRng } from '../../../test/support/seeded-rng.js';
import { buildIpAnswer, isoSeconds } from './ip-answer.js';
import { ipAnswerJson } from './ip-answer-json.js';

const FIELDS: PlanRecord['fields'] = ['reporters', 'scenarios', 'history', 'network', 'range'];
const plan = (fields: PlanRecord['fields']) =>
  toPolicy({ id: 'p', name: 'P', burstPerSecond: 1, dailyQuota: 1, monthlyQuota: 1, bulkSize: 0, fields, views: ['ip'], priceCents: null, currency: 'usd', updatedAt: new Date(0) });
// Names with everything JSON must escape: quotes, backslashes, control characters, lone surrogates, non-ASCII.
const NAMES = ['ssh-bf', 'http-probing', 'crowdsecurity/http-cve', 'a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'é', '\ud800', 'line\nbreak', '</script>'];

describe('ipAnswerJson', () => {
  it('writes exactly what JSON.stringify writes, for random answers and plans (seeded)', () => {
    const rng = new SeededRng(Number(process.env.FUZZ_SEED ?? 20261207));
    const pick = <T>(items: readonly T[]): T => items[rng.int(items.length)];
    // Scenario lists are interned by the index: the same array comes back for the same set.
    const lists = Array.from({ length: 12 }, () => Object.freeze(Array.from({ length: rng.int(4) }, () => pick(NAMES))));
    const ips = ['203.0.113.7', '198.51.100.1', '8.8.8.8', '10.1.2.3', '2001:db8::1', '2a01:4000::1', '::1', '100.64.1.1'];
    for (let n = 0; n < 20_000; n++) {
      const scored = rng.chance(0.7);
      const fields: ScoreFields | null = scored
        ? {
            score: rng.chance(0.1) ? rng.next() * 100 : rng.int(101),
            listed: rng.chance(0.4),
            listedUntil: rng.chance(0.3) ? 0 : 1_700_000_000 + rng.int(100_000_000),
            reporterBucket: rng.int(5),
            confidence: rng.int(4),
            honeypot: rng.chance(0.1),
            firstSeen: rng.chance(0.1) ? 0 : 1_600_000_000 + rng.int(200_000_000),
            lastSeen: rng.chance(0.05) ? 1_700_000_000.5 : 1_700_000_000 + rng.int(100_000_000),
            scenarios: pick(lists),
          }
        : null;
      const ip = parseIp(pick(ips));
      if (!ip) throw new Error('bad fixture');
      const answer = buildIpAnswer(
        {
          ip: ip.text,
          fields,
          neverList: rng.chance(0.1) ? { category: pick(NAMES), source: pick(NAMES) } : null,
          reserved: rng.chance(0.5) ? specialPurpose(ip) : null,
          metadata: rng.chance(0.5) ? { asn: rng.chance(0.2) ? null : rng.int(400_000), asName: rng.chance(0.2) ? null : pick(NAMES), country: rng.chance(0.2) ? null : 'FR' } : null,
          range: rng.chance(0.5) ? { cidr: '203.0.113.0/24', listed: rng.int(256), maxScore: rng.int(101) } : null,
        },
        plan(FIELDS.filter(() => rng.chance(0.6))),
      );
      const json = ipAnswerJson(answer);
      if (json !== JSON.stringify(answer)) expect(json).toBe(JSON.stringify(answer));
    }
  });

  it('serialises the interned behaviour list of a scenario set', () => {
    const scenarios = Object.freeze(['ssh-bf', 'http-probing']);
    const answer = buildIpAnswer(
      { ip: '203.0.113.7', fields: { score: 90, listed: true, listedUntil: 0, reporterBucket: 2, confidence: 2, honeypot: false, firstSeen: 1, lastSeen: 2, scenarios }, neverList: null, reserved: null, metadata: null, range: null },
      plan(['scenarios']),
    );
    expect(answer.behaviours).toBe(behavioursOf(scenarios));
    expect(JSON.parse(ipAnswerJson(answer))).toEqual(JSON.parse(JSON.stringify(answer)));
    expect(ipAnswerJson(answer)).toBe(JSON.stringify(answer));
  });
});

describe('isoSeconds', () => {
  it('formats like Date#toISOString, null for 0 and below (seeded)', () => {
    const rng = new SeededRng(Number(process.env.FUZZ_SEED ?? 20261207));
    const cases = [0, -1, 1, 59, 60, 3599, 3600, 86_399, 86_400, 951_782_400, 1_709_164_799, 1_709_164_800, 253_402_300_799, 253_402_300_800, 1.5, 1_700_000_000.25, Number.NaN];
    for (let n = 0; n < 100_000; n++) cases.push(rng.chance(0.01) ? rng.next() * 2e9 : rng.int(2_147_483_647) + (rng.chance(0.5) ? 2_147_483_647 : 0));
    for (const seconds of cases) {
      const expected = seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
      if (isoSeconds(seconds) !== expected) expect({ seconds, iso: isoSeconds(seconds) }).toEqual({ seconds, iso: expected });
    }
  });
});
