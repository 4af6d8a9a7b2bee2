import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { createRedisClient, type RedisClient } from '../../src/infra/redis/redis-client.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { fakeClock } from '../support/fake-clock.js';
import { createOperator } from '../support/principals.js';
import { waitFor } from '../support/waits.js';

const NET = '45.84.13';

/** Two API replicas on one PostgreSQL and one Redis; only pub/sub carries news between them (polling is off). */
describe('lookup limits, usage and propagation across replicas', () => {
  let a: TestApp;
  let b: TestApp;
  let db: string;
  let redis: RedisClient;
  let seq = 0;

  beforeAll(async () => {
    const env = { QUORUM_LOOKUP_POLL_MS: '600000', QUORUM_LOOKUP_USAGE_FLUSH_SECONDS: '3600' };
    [a, b] = await Promise.all([createTestApp(env), createTestApp(env)]);
    db = a.config.database.url;
    // one Redis, or the cluster tier's Redis Cluster (jest.config.cjs "cluster")
    redis = createRedisClient(a.config.redis, {});
    await sql(
      db,
      `INSERT INTO plan (id, name, burst_per_second, daily_quota, monthly_quota, bulk_size, fields, views) VALUES
        ('test-quota', 'Test quota', 10000, 50, 100000, 10, ARRAY['reporters','scenarios','history','network','range'], ARRAY['ip','bulk','range']),
        ('test-burst', 'Test burst', 5, 100000, 1000000, 10, ARRAY['reporters'], ARRAY['ip','bulk']),
        ('test-roomy', 'Test roomy', 10000, 1000000, 10000000, 100, ARRAY['reporters','scenarios'], ARRAY['ip','bulk'])
       ON CONFLICT (id) DO NOTHING`,
    );
    await Promise.all([a, b].map((t) => t.app.get(LookupPlansService).reload()));
    await waitFor('both lookup indexes loaded', 15_000, () => a.app.get(LookupIndexService).ready && b.app.get(LookupIndexService).ready);
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await Promise.all([a.close(), b.close()]);
    // Other suites list the plans: leave only the seeded ones.
    await sql(db, "DELETE FROM organization_plan WHERE plan_id IN ('test-quota', 'test-burst', 'test-roomy')");
    await sql(db, "DELETE FROM plan WHERE id IN ('test-quota', 'test-burst', 'test-roomy')");
  });

  async function keyFor(planId: string): Promise<{ key: string; org: string }> {
    const org = (await a.app.get(OrganizationsService).create(`limits-org-${++seq}`)).id;
    await a.app.get(LookupPlansService).setOrganizationPlan(org, planId);
    const { key } = await a.app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test');
    return { key, org };
  }

  const get = (app: NestFastifyApplication, key: string, ip = `${NET}.1`) => app.inject({ method: 'GET', url: `/v1/ip/${ip}`, headers: { 'x-api-key': key } });

  it('never lets an organisation pass its daily quota with parallel requests on two replicas (overshoot 0)', async () => {
    const { key, org } = await keyFor('test-quota');
    const answers = await Promise.all(Array.from({ length: 160 }, (_, i) => get(i % 2 === 0 ? a.app : b.app, key)));
    const ok = answers.filter((r) => r.statusCode === 200).length;
    const refused = answers.filter((r) => r.statusCode === 429);
    process.stdout.write(`lookup quota: 160 parallel requests on 2 replicas, daily quota 50: ${ok} answered (overshoot ${ok - 50})\n`);
    expect(ok).toBeLessThanOrEqual(50);
    expect(ok).toBeGreaterThanOrEqual(48);
    expect(ok + refused.length).toBe(160);
    const sample = refused[0];
    expect(sample.json()).toEqual({ statusCode: 429, code: 'quota_exhausted', message: expect.any(String), requestId: expect.any(String) });
    expect(Number(sample.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(sample.headers['x-ratelimit-limit']).toBe('50');
    expect(sample.headers['x-ratelimit-remaining']).toBe('0');
    const day = Math.floor(Date.now() / 86_400_000);
    expect(Number(await redis.get(`${a.config.redis.prefix}:lookup:quota:${org}:day:${day}`))).toBeLessThanOrEqual(50);
  }, 20_000);

  it('refuses a burst beyond the per-second limit with rate_limited, then lets the next second through', async () => {
    const { key } = await keyFor('test-burst');
    // Both replicas read one fake clock, held inside one second until the test moves it on.
    const clock = fakeClock([a.app, b.app], Math.floor(Date.now() / 1000) * 1000 + 100);
    try {
      await burstThenNextSecond(key, clock);
    } finally {
      clock.restore();
    }
  }, 20_000);

  async function burstThenNextSecond(key: string, clock: { advance(ms: number): void }): Promise<void> {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => get(i % 2 === 0 ? a.app : b.app, key)));
    const ok = answers.filter((r) => r.statusCode === 200).length;
    process.stdout.write(`lookup burst: 40 parallel requests on 2 replicas within one second, burst 5/s: ${ok} answered\n`);
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(5);
    const refused = answers.find((r) => r.statusCode === 429);
    expect(refused?.json().code).toBe('rate_limited');
    expect(refused?.headers['retry-after']).toBe('1');
    // X-RateLimit-* always tell the quota; the burst has its own item in RateLimit / RateLimit-Policy.
    expect(refused?.headers['x-ratelimit-limit']).toBe('100000');
    expect(refused?.headers['ratelimit-policy']).toMatch(/^"burst";q=5;w=1, "day";q=100000;w=86400$/);
    expect(refused?.headers['ratelimit']).toMatch(/^"burst";r=0;t=[01], "day";r=\d+;t=\d+$/);
    clock.advance(1_000);
    expect((await get(b.app, key)).statusCode).toBe(200);
  }

  it('sends X-RateLimit-* on every answer and counts a bulk request per valid IP', async () => {
    const { key, org } = await keyFor('test-roomy');
    const first = await get(a.app, key);
    expect(first.headers['x-ratelimit-limit']).toBe('1000000');
    expect(first.headers['x-ratelimit-remaining']).toBe('999999');
    const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400;
    expect(first.headers['x-ratelimit-reset']).toBe(String(midnight));
    const ips = [`${NET}.1`, `${NET}.2`, 'nope', '2a01:4f8:10:20::1', `::ffff:${NET}.3`, '999.1.1.1'];
    const bulk = await a.app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': key }, payload: { ips } });
    expect(bulk.statusCode).toBe(200);
    const body = bulk.json();
    expect(body.metered).toBe(4);
    expect(body.results).toHaveLength(6);
    expect(body.results[2]).toEqual({ ip: 'nope', error: { code: 'invalid_ip', message: expect.any(String) } });
    expect(body.results[4].ip).toBe(`${NET}.3`);
    expect(bulk.headers['x-ratelimit-remaining']).toBe('999995');
    const tooBig = await a.app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': key }, payload: { ips: Array(101).fill(`${NET}.1`) } });
    expect([tooBig.statusCode, tooBig.json().code]).toEqual([400, 'bulk_too_large']);
    expect(tooBig.headers['x-ratelimit-limit']).toBeDefined();
    await get(b.app, key);
    await Promise.all([a, b].map((t) => t.app.get(LookupUsageService).flush()));
    const [{ total }] = await sql<{ total: string }>(db, 'SELECT sum(lookups)::text AS total FROM usage_counter WHERE organization_id = $1', [org]);
    expect(Number(total)).toBe(6);
  }, 20_000);

  it('makes a revocation effective on the other replica within a second', async () => {
    const { key, org } = await keyFor('test-roomy');
    expect((await get(b.app, key)).statusCode).toBe(200);
    const [{ id }] = await sql<{ id: string }>(db, 'SELECT id FROM api_key WHERE organization_id = $1', [org]);
    const started = Date.now();
    await a.app.get(ApiKeysService).revoke(org, id, 'test');
    await waitFor('the revocation on replica b', 1_000, async () => (await get(b.app, key)).statusCode === 401);
    process.stdout.write(`lookup revocation reached the other replica in ${Date.now() - started} ms\n`);
  }, 20_000);

  it('lets staff admins (only) edit plans (audited, validated), applied by the other replica at once', async () => {
    const { key } = await keyFor('test-roomy');
    expect((await get(b.app, key)).json().scenarios).toBeDefined();
    const [admin, billing, support] = await Promise.all((['admin', 'billing', 'support'] as const).map((role) => createOperator(a.app, role, null)));
    const put = (who: { headers: Record<string, string> }, payload: object) => a.app.inject({ method: 'PUT', url: '/v1/admin/plans/test-roomy', headers: who.headers, payload });
    expect((await put(support, { fields: ['reporters'] })).statusCode).toBe(403);
    expect((await put(billing, { fields: ['reporters'] })).statusCode).toBe(403);
    expect((await put(admin, { daily_quota: 20_000_000 })).json().code).toBe('bad_request');
    const changed = await put(admin, { fields: ['reporters'] });
    expect(changed.json()).toEqual(expect.objectContaining({ id: 'test-roomy', fields: ['reporters'], daily_quota: 1_000_000 }));
    await waitFor('the plan change on replica b', 1_000, async () => (await get(b.app, key)).json().scenarios === undefined);
    const got = await a.app.inject({ method: 'GET', url: '/v1/admin/plans/test-roomy', headers: { cookie: billing.headers.cookie } });
    expect(got.json().fields).toEqual(['reporters']);
    const audit = await a.app.get(AuditService).recent(10);
    expect(audit.find((e) => e.action === 'plan.updated' && e.target === 'plan:test-roomy')?.details).toEqual(
      expect.objectContaining({ before: expect.objectContaining({ fields: ['reporters', 'scenarios'] }), after: expect.objectContaining({ fields: ['reporters'] }) }),
    );
  }, 20_000);

  it('answers with a published generation on both replicas within a second (pub/sub only)', async () => {
    const { key } = await keyFor('test-roomy');
    const [{ v }] = await sql<{ v: string }>(db, 'SELECT coalesce(max(version), 0) + 1 AS v FROM ip_score');
    await sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_until, honeypot, version, updated_at)
       VALUES ($1, 7, 9, 4, 4, '{ssh-bf}', now(), now(), true, now() + interval '1 day', false, $2, now())`,
      [`${NET}.77`, v],
    );
    const started = Date.now();
    await redis.publish(`${a.config.redis.prefix}:scores:version`, v);
    // Both replicas answer from the new rows and hold the generation as complete (the announcement
    // completes it; rows read by an earlier catch-up before the announcement arrived are not yet).
    const complete = (t: TestApp) => t.app.get(LookupIndexService).current.version >= Number(v);
    await waitFor('the new generation on both replicas', 1_000, async () => {
      const [x, y] = await Promise.all([get(a.app, key, `${NET}.77`), get(b.app, key, `${NET}.77`)]);
      return x.json().reputation === 'malicious' && y.json().reputation === 'malicious' && complete(a) && complete(b);
    });
    process.stdout.write(`lookup: published generation answered by both replicas in ${Date.now() - started} ms\n`);
  }, 20_000);
});

