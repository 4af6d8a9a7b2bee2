import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, startFakeStripe } from '../fakes/stripe/harness.js';
import { buildAdminPage } from '../browser/chromium.js';
import { operator, PASSWORD, seedCustomer } from '../browser/seed.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('admin dashboard JSON API and page', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let fake: FakeStripe;
  let seq = 0;

  beforeAll(async () => {
    buildAdminPage();
    const started = await startFakeStripe();
    fake = started.fake;
    t = await createTestApp(started.env);
    app = t.app;
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  async function session(role: 'admin' | 'billing' | 'support'): Promise<Record<string, string>> {
    const email = await operator(app, role);
    const res = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: PASSWORD }, remoteAddress: `10.66.0.${++seq}` });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': res.json().csrf_token as string };
  }

  it('serves the built page at /admin with a strict CSP, and unknown files as 404', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/admin/app.js');
    const script = await app.inject({ method: 'GET', url: '/admin/app.js' });
    expect(script.headers['content-type']).toContain('javascript');
    expect((await app.inject({ method: 'GET', url: '/admin/../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/admin/secret.txt' })).statusCode).toBe(404);
  });

  it('lists customers with search and sort, usage vs quota, overage and the last invoice', async () => {
    const a = await seedCustomer(app, fake, t.config.database.url, 'pro', [{ daysAgo: 0, lookups: 30 }]);
    const b = await seedCustomer(app, fake, t.config.database.url, 'business', [{ daysAgo: 0, lookups: 10 }]);
    const headers = await session('support');
    const search = await app.inject({ method: 'GET', url: `/v1/admin/customers?q=${encodeURIComponent(a.name)}`, headers });
    expect(search.statusCode).toBe(200);
    expect(search.json().customers).toEqual([
      expect.objectContaining({ id: a.org, plan_id: 'pro', status: 'active', usage: 30, quota: 500_000, overage: 0, last_invoice_cents: 4_900, last_invoice_status: 'paid' }),
    ]);
    const sorted = await app.inject({ method: 'GET', url: '/v1/admin/customers?q=Browser%20Customer&sort=plan&dir=desc', headers });
    const ids = (sorted.json().customers as Array<{ id: string }>).map((c) => c.id);
    expect(ids.indexOf(a.org)).toBeLessThan(ids.indexOf(b.org));
    expect((await app.inject({ method: 'GET', url: '/v1/admin/customers?sort=secret', headers })).statusCode).toBe(400);
  });

  it('shows a customer in detail: 30 daily points, keys by prefix, invoices; unknown ids are 404', async () => {
    const c = await seedCustomer(app, fake, t.config.database.url, 'pro', [{ daysAgo: 2, lookups: 7 }]);
    const headers = await session('billing');
    const res = await app.inject({ method: 'GET', url: `/v1/admin/customers/${c.org}`, headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.daily_usage).toHaveLength(30);
    expect(body.daily_usage.reduce((s: number, d: { lookups: number }) => s + d.lookups, 0)).toBe(7);
    expect(body.keys).toEqual([expect.objectContaining({ prefix: c.keyPrefix })]);
    expect(JSON.stringify(body.keys)).not.toContain('key_hash');
    expect(body.invoices).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/v1/admin/customers/00000000-0000-4000-8000-000000000000', headers })).statusCode).toBe(404);
  });

  it('reflects subscription changes in the overview (MRR, churn, past due)', async () => {
    const headers = await session('admin');
    const before = (await app.inject({ method: 'GET', url: '/v1/admin/overview', headers })).json();
    const c = await seedCustomer(app, fake, t.config.database.url, 'business', []);
    const sub = [...fake.subscriptions.values()].find((s) => (s.metadata as { organization_id?: string }).organization_id === c.org)!;
    const mid = (await app.inject({ method: 'GET', url: '/v1/admin/overview', headers })).json();
    expect(mid.mrr_cents - before.mrr_cents).toBe(19_900);
    expect(mid.new_subscriptions_30d - before.new_subscriptions_30d).toBe(1);
    fake.advance(5);
    await deliver(app, [fake.updateSubscription(sub.id as string, { status: 'past_due' })]);
    const due = (await app.inject({ method: 'GET', url: '/v1/admin/overview', headers })).json();
    expect(due.past_due_accounts - before.past_due_accounts).toBe(1);
    fake.advance(5);
    await deliver(app, [fake.cancelSubscription(sub.id as string)]);
    const after = (await app.inject({ method: 'GET', url: '/v1/admin/overview', headers })).json();
    expect(after.mrr_cents).toBe(before.mrr_cents);
    expect(after.churned_subscriptions_30d - before.churned_subscriptions_30d).toBe(1);
    expect(after.community).toEqual(expect.objectContaining({ active_agents: expect.any(Number), listed_ips: expect.any(Number) }));
  });

  it('requires an operator session', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/admin/overview' })).statusCode).toBe(401);
  });
});
