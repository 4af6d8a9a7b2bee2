import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { seedNeverList, seedScores } from '../support/lookup-fixtures.js';
import { waitFor } from '../support/waits.js';

// Addresses used only by this file (real-looking: test nets are special-purpose space, answered `reserved`).
const NET = '45.86.14';
const V6 = '2a01:4f8:77:1';
const SOURCE = 'lookup-answers-test';

/** The answer fields a customer pays for: classification, behaviours, benign, reserved, limit headers. */
describe('lookup answers: classification, behaviours, benign and reserved addresses, limit headers', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let db: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_LOOKUP_POLL_MS: '200' });
    app = t.app;
    db = t.config.database.url;
    await waitFor('the lookup index', 30_000, () => app.get(LookupIndexService).ready);
    await seedScores(app, db, [
      [`${NET}.1`, 6, true, ['crowdsecurity/ssh-bf', 'quorum/ssh-user-enum', 'quorum/http-probing', 'local/odd-one']],
      [`${NET}.2`, 2, false, ['crowdsecurity/wordpress-bf']],
      [`${NET}.3`, 0.3, false, ['crowdsecurity/ssh-bf']],
      [`${NET}.4`, 9, true, ['crowdsecurity/http-crawl-non_statics']],
      [`${V6}::/64`, 6, true, ['crowdsecurity/mail-bf']],
      // A row in special-purpose space (should never exist; reserved wins over it).
      ['10.9.8.7', 9, true, ['crowdsecurity/ssh-bf']],
    ]);
    await seedNeverList(app, db, SOURCE, [
      [`${NET}.4/32`, 'crawler'],
      ['2a01:4f8:77:2::/64', 'resolver'],
    ]);
  });

  afterAll(async () => {
    await sql(db, 'DELETE FROM never_list_entry WHERE source = $1', [SOURCE]);
    await t.close();
  });

  async function keyFor(planId: string): Promise<{ key: string; org: string }> {
    const org = (await app.get(OrganizationsService).create(`answers-org-${++seq}-${Date.now()}`)).id;
    await app.get(LookupPlansService).setOrganizationPlan(org, planId);
    const { key } = await app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test');
    return { key, org };
  }

  const get = (key: string, ip: string) => app.inject({ method: 'GET', url: `/v1/ip/${ip}`, headers: { 'x-api-key': key } });

  async function usageOf(org: string): Promise<number> {
    await app.get(LookupUsageService).flush();
    const [{ total }] = await sql<{ total: string | null }>(db, 'SELECT sum(lookups)::text AS total FROM usage_counter WHERE organization_id = $1', [org]);
    return Number(total ?? 0);
  }

  it('classifies listed, suspicious and low-score IPs and says what they did in plain words (pro plan)', async () => {
    const { key } = await keyFor('pro');
    const listed = (await get(key, `${NET}.1`)).json();
    expect(listed).toEqual(
      expect.objectContaining({
        classification: 'malicious',
        benign: null,
        reserved: null,
        behaviours: ['SSH user enumeration', 'SSH brute force', 'HTTP vulnerability scanning', 'Other attack traffic'],
      }),
    );
    expect((await get(key, `${NET}.2`)).json()).toEqual(expect.objectContaining({ classification: 'suspicious', reputation: 'suspicious', behaviours: ['Web login brute force'] }));
    expect((await get(key, `${NET}.3`)).json()).toEqual(expect.objectContaining({ classification: 'unknown', reputation: 'known', score: 10, behaviours: ['SSH brute force'] }));
    expect((await get(key, `${NET}.200`)).json()).toEqual(expect.objectContaining({ classification: 'unknown', evidence: 'none', behaviours: [], scenarios: [] }));
    expect((await get(key, `${V6}::abcd`)).json()).toEqual(expect.objectContaining({ classification: 'malicious', behaviours: ['Mail login brute force'] }));
  });

  it('shows behaviours only to plans that see scenarios', async () => {
    const { key } = await keyFor('free');
    const body = (await get(key, `${NET}.1`)).json();
    expect(body.classification).toBe('malicious');
    expect(body.behaviours).toBeUndefined();
    expect(body.scenarios).toBeUndefined();
  });

  it('answers never-list networks benign with their category and source, IPv4 and IPv6', async () => {
    const { key } = await keyFor('pro');
    expect((await get(key, `${NET}.4`)).json()).toEqual(
      expect.objectContaining({ classification: 'benign', listed: false, neverList: 'crawler', benign: { category: 'crawler', source: SOURCE }, reserved: null }),
    );
    expect((await get(key, '2a01:4f8:77:2::53')).json()).toEqual(
      expect.objectContaining({ classification: 'benign', benign: { category: 'resolver', source: SOURCE }, score: 0 }),
    );
  });

  it('answers special-purpose addresses reserved without counting them against the quota or in usage', async () => {
    const { key, org } = await keyFor('pro');
    const first = await get(key, `${NET}.200`);
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    const cases: Array<[string, string]> = [
      ['10.9.8.7', '10.0.0.0/8'],
      ['192.168.1.1', '192.168.0.0/16'],
      ['127.0.0.1', '127.0.0.0/8'],
      ['192.0.2.1', '192.0.2.0/24'],
      ['::1', '::1/128'],
      ['2001:db8::1', '2001:db8::/32'],
      ['fe80::1', 'fe80::/10'],
    ];
    for (const [ip, cidr] of cases) {
      const res = await get(key, ip);
      expect([ip, res.statusCode]).toEqual([ip, 200]);
      expect(res.json()).toEqual(
        expect.objectContaining({ ip, classification: 'reserved', listed: false, score: 0, evidence: 'none', benign: null, reserved: expect.objectContaining({ cidr }) }),
      );
      expect(res.json().reserved.name).toEqual(expect.any(String));
      expect(Number(res.headers['x-ratelimit-remaining'])).toBe(remaining);
    }
    const bulk = await app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': key }, payload: { ips: ['10.1.1.1', `${NET}.1`, '::1', 'nope'] } });
    expect(bulk.json().metered).toBe(1);
    expect(bulk.json().results.map((r: { classification?: string }) => r.classification)).toEqual(['reserved', 'malicious', 'reserved', undefined]);
    expect(Number(bulk.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
    // the first lookup and the one public address of the bulk request
    expect(await usageOf(org)).toBe(2);
  });

  it('sends the burst limit and the quota under separate names (IETF RateLimit draft), and X-RateLimit-* for the quota', async () => {
    const { key } = await keyFor('pro');
    const res = await get(key, `${NET}.1`);
    const plan = (await app.get(LookupPlansService).policy('pro')).record;
    expect(res.headers['ratelimit-policy']).toBe(`"burst";q=${plan.burstPerSecond};w=1, "day";q=${plan.dailyQuota};w=86400`);
    const match = /^"burst";r=(\d+);t=([01]), "day";r=(\d+);t=(\d+)$/.exec(String(res.headers['ratelimit']));
    expect(match).not.toBeNull();
    const [, burstLeft, , dayLeft, dayReset] = match!.map(Number);
    expect(burstLeft).toBeLessThan(plan.burstPerSecond);
    expect(dayLeft).toBe(plan.dailyQuota - 1);
    expect(res.headers['x-ratelimit-limit']).toBe(String(plan.dailyQuota));
    expect(res.headers['x-ratelimit-remaining']).toBe(String(dayLeft));
    const nowSec = Math.floor(Date.now() / 1000);
    expect(Math.abs(Number(res.headers['x-ratelimit-reset']) - nowSec - dayReset)).toBeLessThanOrEqual(2);
    // Refusals carry them too.
    const bad = await get(key, '1.2.3');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['ratelimit-policy']).toBe(res.headers['ratelimit-policy']);
  });
});
