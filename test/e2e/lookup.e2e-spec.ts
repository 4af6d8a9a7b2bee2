import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { IpMetadataIndex } from '../../src/common/ip/ip-metadata.js';
import { NetworkIdentityService } from '../../src/common/network/network-identity.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

// Addresses used only by this file: 100.64.0.0/10 style test nets are special-purpose, so real-looking ones.
const NET = '45.83.12';
const HOUR = 3_600_000;

describe('lookup API: keys, plans, answers', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let db: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_LOOKUP_POLL_MS: '200' });
    app = t.app;
    db = t.config.database.url;
    // The real dataset loads in the background at boot: let it finish before replacing it with a fixture.
    await app.get(NetworkIdentityService).ready();
    app.get(NetworkIdentityService).useIndex(
      IpMetadataIndex.fromRows({
        asn: [{ start: `${NET}.0`, end: `${NET}.255`, asn: 64_500, asName: 'EXAMPLE-NET' }],
        country: [{ start: `${NET}.0`, end: `${NET}.255`, country: 'FR' }],
      }),
    );
    await waitFor('the lookup index loaded', 15_000, () => app.get(LookupIndexService).ready);
  }, 60_000);
  afterAll(async () => t.close());

  async function operator(role: 'admin' | 'billing' | 'support', organizationId: string | null = null) {
    seq++;
    const email = `lookup-ops${seq}-${Date.now()}@example.net`;
    await app.get(OperatorAuthService).createOperator(email, role, 'a-long-enough-password');
    if (organizationId) await sql(db, 'UPDATE operator_user SET organization_id = $1 WHERE email = $2', [organizationId, email]);
    const res = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: `10.77.${seq}.1` });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: res.json().csrf_token as string };
  }

  async function organization(planId?: string): Promise<string> {
    const org = await app.get(OrganizationsService).create(`lookup-org-${++seq}`);
    if (planId) await app.get(LookupPlansService).setOrganizationPlan(org.id, planId);
    return org.id;
  }

  let admin: { cookie: string; csrf: string };
  async function apiKey(organizationId: string, scopes?: string[]): Promise<string> {
    admin ??= await operator('admin');
    const res = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${organizationId}/api-keys`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'test key', ...(scopes ? { scopes } : {}) },
    });
    expect(res.statusCode).toBe(201);
    return res.json().key as string;
  }

  /** Writes ip_score rows as the consensus job does (next generation), then lets the index catch up. */
  async function seedScores(rows: Array<{ key: string; score: number; listed?: boolean; reporters?: number; scenarios?: string[] }>): Promise<void> {
    const [{ v }] = await sql<{ v: string }>(db, 'SELECT coalesce(max(version), 0) + 1 AS v FROM ip_score');
    const now = Date.now();
    for (const r of rows) {
      await sql(
        db,
        `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
         VALUES ($1, $2, $3, 3, 3, $4, $5, $6, $7, $6, $8, 'consensus', false, $9, now())
         ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, listed = EXCLUDED.listed, listed_until = EXCLUDED.listed_until, version = EXCLUDED.version`,
        [r.key, r.score, r.reporters ?? 4, r.scenarios ?? ['ssh-bf'], new Date(now - 2 * HOUR), new Date(now - HOUR), r.listed ?? true, r.listed === false ? null : new Date(now + 24 * HOUR), v],
      );
    }
    await app.get(LookupIndexService).catchUp(Number(v));
  }

  const lookup = (key: string, path: string) => app.inject({ method: 'GET', url: path, headers: { 'x-api-key': key } });

  it('reports the lookup index in /readyz once loaded', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.json().checks['lookup-index']).toEqual({ status: 'up' });
  }, 20_000);

  it('creates keys shown once and stored as a SHA-256 with a visible prefix', async () => {
    const org = await organization();
    admin ??= await operator('admin');
    const res = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${org}/api-keys`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'edge', scopes: ['lookup', 'blocklist'] },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.key).toMatch(/^qk_[\w-]{8}_[\w-]{32}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const rows = await sql(db, 'SELECT key_hash, prefix FROM api_key WHERE id = $1', [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.key);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await app.inject({ method: 'GET', url: `/v1/organizations/${org}/api-keys`, headers: { cookie: admin.cookie } });
    expect(list.json().api_keys).toEqual([expect.objectContaining({ id: created.id, prefix: created.prefix, status: 'active', scopes: ['lookup', 'blocklist'] })]);
    expect(list.body).not.toContain(created.key);
    expect((await app.get(AuditService).recent(5)).some((e) => e.action === 'api_key.created' && e.target === `api_key:${created.id}`)).toBe(true);
  }, 20_000);

  it('lets operators manage only their own organisation unless admin; billing cannot', async () => {
    const mine = await organization();
    const other = await organization();
    const support = await operator('support', mine);
    const billing = await operator('billing', mine);
    const create = (org: string, who: { cookie: string; csrf: string }) =>
      app.inject({ method: 'POST', url: `/v1/organizations/${org}/api-keys`, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, payload: { name: 'k' } });
    expect((await create(mine, support)).statusCode).toBe(201);
    expect((await create(other, support)).statusCode).toBe(403);
    expect((await create(mine, billing)).statusCode).toBe(403);
    expect((await create('00000000-0000-4000-8000-000000000000', await operator('admin'))).statusCode).toBe(404);
  }, 20_000);

  it('refuses missing, unknown, malformed and revoked keys with 401, and keys without the lookup scope with 403', async () => {
    const org = await organization();
    const key = await apiKey(org);
    expect((await lookup(key, `/v1/ip/${NET}.1`)).statusCode).toBe(200);
    const missing = await app.inject({ method: 'GET', url: `/v1/ip/${NET}.1` });
    expect(missing.statusCode).toBe(401);
    for (const bad of ['qk_AAAAAAAA_unknownunknownunknownunknownun', 'not-a-key', '']) {
      const res = await lookup(bad, `/v1/ip/${NET}.1`);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ statusCode: 401, code: expect.stringMatching(/invalid_api_key|unauthorized/), message: expect.any(String), requestId: expect.any(String) });
    }
    const keyId = (await app.inject({ method: 'GET', url: `/v1/organizations/${org}/api-keys`, headers: { cookie: admin.cookie } })).json().api_keys[0].id;
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/organizations/${org}/api-keys/${keyId}`, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(revoked.json().status).toBe('revoked');
    const after = await lookup(key, `/v1/ip/${NET}.1`);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('invalid_api_key');
    const blocklistOnly = await apiKey(org, ['blocklist']);
    expect((await lookup(blocklistOnly, `/v1/ip/${NET}.1`)).statusCode).toBe(403);
  }, 20_000);

  it('answers a listed IPv4 with every field of a business plan, and the /24 summary', async () => {
    await seedScores([
      { key: `${NET}.7`, score: 6, reporters: 8, scenarios: ['ssh-bf', 'http-probing'] },
      { key: `${NET}.8`, score: 9 },
      { key: `${NET}.9`, score: 0.5, listed: false, reporters: 1 },
    ]);
    const key = await apiKey(await organization('business'));
    const res = await lookup(key, `/v1/ip/${NET}.7`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ip: `${NET}.7`,
      classification: 'malicious',
      reputation: 'malicious',
      evidence: 'trusted',
      score: 86,
      confidence: 'high',
      listed: true,
      listedUntil: expect.stringMatching(/Z$/),
      neverList: null,
      benign: null,
      reserved: null,
      reporters: '6-20',
      scenarios: ['ssh-bf', 'http-probing'],
      behaviours: ['SSH brute force', 'HTTP vulnerability scanning'],
      firstSeen: expect.stringMatching(/Z$/),
      lastSeen: expect.stringMatching(/Z$/),
      asn: 64_500,
      asName: 'EXAMPLE-NET',
      country: 'FR',
      range: { cidr: `${NET}.0/24`, listed: 2, maxScore: 95 },
    });
    expect((await lookup(key, `/v1/ip/${NET}.9`)).json()).toEqual(expect.objectContaining({ reputation: 'known', score: 15, listed: false, reporters: '1-2' }));
    expect((await lookup(key, `/v1/ip/${NET}.200`)).json()).toEqual(expect.objectContaining({ reputation: 'unknown', score: 0, confidence: 'none', listed: false }));
  }, 20_000);

  it('cuts fields and views to the plan: free sees no scenarios, range summary, bulk or range view', async () => {
    const key = await apiKey(await organization());
    const body = (await lookup(key, `/v1/ip/${NET}.7`)).json();
    expect(body).toEqual(expect.objectContaining({ reputation: 'malicious', reporters: '6-20', asn: 64_500 }));
    expect(body.scenarios).toBeUndefined();
    expect(body.range).toBeUndefined();
    const bulk = await app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': key }, payload: { ips: [`${NET}.7`] } });
    expect(bulk.statusCode).toBe(402);
    expect(bulk.json().code).toBe('plan_restricted');
    expect((await lookup(key, `/v1/range/${NET}.0/24`)).statusCode).toBe(402);
  }, 20_000);

  it('applies a plan change to the organisation from its next request', async () => {
    const org = await organization();
    const key = await apiKey(org);
    expect((await lookup(key, `/v1/ip/${NET}.7`)).json().scenarios).toBeUndefined();
    await app.get(LookupPlansService).setOrganizationPlan(org, 'pro');
    expect((await lookup(key, `/v1/ip/${NET}.7`)).json().scenarios).toEqual(['ssh-bf', 'http-probing']);
  }, 20_000);

  it('answers any address of an IPv6 /64 with the /64 score, and IPv4-mapped addresses as IPv4', async () => {
    await seedScores([{ key: '2a01:4f8:10:20::/64', score: 4 }]);
    const key = await apiKey(await organization('business'));
    const a = (await lookup(key, '/v1/ip/2a01:4f8:10:20::1')).json();
    const b = (await lookup(key, '/v1/ip/2a01:4f8:10:20:ffff:ffff:ffff:fffe')).json();
    expect(a).toEqual(expect.objectContaining({ ip: '2a01:4f8:10:20::1', reputation: 'malicious', score: 74, range: { cidr: '2a01:4f8:10:20::/64', listed: 1, maxScore: 74 } }));
    expect({ ...b, ip: a.ip }).toEqual(a);
    expect((await lookup(key, '/v1/ip/2a01:4f8:10:21::1')).json().reputation).toBe('unknown');
    const mapped = (await lookup(key, `/v1/ip/::ffff:${NET}.7`)).json();
    expect(mapped).toEqual(expect.objectContaining({ ip: `${NET}.7`, score: 86, reputation: 'malicious' }));
  }, 20_000);

  it('rejects invalid IPs and CIDRs with 400 and the standard error body', async () => {
    const key = await apiKey(await organization('business'));
    for (const bad of ['1.2.3', '01.2.3.4', '256.1.1.1', 'fe80::1%25eth0', '::ffff:999.1.1.1', 'example.com', '1.2.3.4%20']) {
      const res = await lookup(key, `/v1/ip/${bad}`);
      expect([bad, res.statusCode]).toEqual([bad, 400]);
      expect(res.json()).toEqual({ statusCode: 400, code: 'invalid_ip', message: expect.any(String), requestId: expect.any(String) });
      expect(res.headers['x-ratelimit-limit']).toBeDefined();
    }
    for (const bad of [`${NET}.0/25`, `${NET}.0/15`, `${NET}.0/33`, '2a01:4f8::/40', '2a01:4f8::/65', 'abc/24', `${NET}.0/x`]) {
      const res = await lookup(key, `/v1/range/${bad}`);
      expect([bad, res.statusCode, res.json().code]).toEqual([bad, 400, 'invalid_cidr']);
    }
  }, 20_000);

  it('lists the members of a range with its score, in either path form', async () => {
    const key = await apiKey(await organization('business'));
    const res = await lookup(key, `/v1/range/${NET}.0/24`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      cidr: `${NET}.0/24`,
      scored: 3,
      listed: 2,
      maxScore: 95,
      score: 99,
      members: [
        { ip: `${NET}.7`, score: 86, listedUntil: expect.any(String), scenarios: ['ssh-bf', 'http-probing'] },
        { ip: `${NET}.8`, score: 95, listedUntil: expect.any(String), scenarios: ['ssh-bf'] },
      ],
      truncated: false,
    });
    expect((await lookup(key, `/v1/range/${NET}.0%2F24`)).json()).toEqual(res.json());
    expect((await lookup(key, '/v1/range/45.83.0.0/16')).json().listed).toBe(2);
    expect((await lookup(key, '/v1/range/2a01:4f8:10::/48')).json()).toEqual(expect.objectContaining({ scored: 1, listed: 1, members: [expect.objectContaining({ ip: '2a01:4f8:10:20::/64' })] }));
  }, 20_000);

  it('never presents a never-listed IP (crawler, CDN...) as malicious', async () => {
    await sql(db, "INSERT INTO never_list_entry (cidr, category, source, fetched_at) VALUES ($1, 'crawler', 'lookup-test', now()) ON CONFLICT DO NOTHING", [`${NET}.8/32`]);
    await app.get(NeverListService).refresh();
    const key = await apiKey(await organization('business'));
    expect((await lookup(key, `/v1/ip/${NET}.8`)).json()).toEqual(expect.objectContaining({ reputation: 'benign', listed: false, listedUntil: null, neverList: 'crawler' }));
    expect((await lookup(key, `/v1/range/${NET}.0/24`)).json().listed).toBe(1);
    await sql(db, "DELETE FROM never_list_entry WHERE source = 'lookup-test'");
    await app.get(NeverListService).refresh();
  }, 20_000);

  it('picks up a generation it was never told about by polling', async () => {
    const key = await apiKey(await organization('business'));
    const [{ v }] = await sql<{ v: string }>(db, 'SELECT coalesce(max(version), 0) + 1 AS v FROM ip_score');
    await sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, honeypot, version, updated_at)
       VALUES ($1, 5, 3, 1, 2, '{}', now(), now(), false, false, $2, now())`,
      [`${NET}.99`, v],
    );
    const started = Date.now();
    await waitFor('the new score answered', 3_000, async () => (await lookup(key, `/v1/ip/${NET}.99`)).json().reputation === 'suspicious');
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);
});
