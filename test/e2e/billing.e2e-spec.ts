import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { BillingEventsService } from '../../src/billing/billing-events.service.js';
import { JobName, jobId, QueueName } from '../../src/infra/queue/queue.constants.js';
import { QueueService } from '../../src/infra/queue/queue.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, postWebhook, signPayload, startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { auditEntries } from '../support/audit-entries.js';
import { waitFor } from '../support/waits.js';

// operator logins hash with scrypt and checkouts go through the fake Stripe: slow on a loaded machine
jest.setTimeout(30_000);

describe('billing: checkout, signed webhooks, entitlements', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let fake: FakeStripe;
  let admin: { cookie: string; csrf: string };
  let seq = 0;

  beforeAll(async () => {
    const started = await startFakeStripe();
    fake = started.fake;
    t = await createTestApp(started.env);
    app = t.app;
    const email = `billing-admin-${Date.now()}@example.net`;
    await app.get(OperatorAuthService).createOperator(email, 'admin', 'a-long-enough-password');
    const res = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: '10.77.0.1' });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    admin = { cookie, csrf: res.json().csrf_token as string };
    await waitFor('the lookup index loaded', 15_000, () => app.get(LookupIndexService).ready);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });

  async function organization(): Promise<{ org: string; key: string }> {
    const org = (await app.get(OrganizationsService).create(`billing-org-${++seq}`)).id;
    const { key } = await app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test');
    return { org, key };
  }

  /** Checkout through the fake: returns the subscription id once its events were processed. */
  async function subscribe(org: string, plan: string): Promise<string> {
    const res = await post('/v1/billing/checkout', { organization_id: org, plan_id: plan });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const { subscription, events } = fake.completeCheckout(res.json().id as string);
    await deliver(app, events);
    return subscription.id as string;
  }

  const planOf = (org: string) => app.get(LookupPlansService).planIdOf(org);
  const bulk = (key: string) => app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': key }, payload: { ips: ['198.51.100.1', '198.51.100.2'] } });

  it('a seeded organisation subscribes through checkout and its key gets the paid plan', async () => {
    const { org, key } = await organization();
    expect((await bulk(key)).statusCode).toBe(402);
    await subscribe(org, 'pro');
    expect(await planOf(org)).toBe('pro');
    const principal = await app.get(ApiKeysService).resolve(key);
    expect(principal?.planId).toBe('pro');
    expect((await bulk(key)).statusCode).toBe(200);
    const rows = await sql(t.config.database.url, 'SELECT status, plan_id, amount_cents FROM subscription WHERE organization_id = $1', [org]);
    expect(rows).toEqual([{ status: 'active', plan_id: 'pro', amount_cents: 4900 }]);
    const invoices = await sql(t.config.database.url, 'SELECT status, amount_cents FROM invoice WHERE organization_id = $1', [org]);
    expect(invoices).toEqual([{ status: 'paid', amount_cents: 4900 }]);
  });

  it('rejects unsigned, tampered, stale and wrongly-signed webhooks and stores nothing', async () => {
    const event = fake.event('invoice.paid', { id: 'in_x', object: 'invoice', customer: 'cus_x' });
    const payload = JSON.stringify(event);
    const tampered = payload.replace('in_x', 'in_y');
    const answers = [
      await postWebhook(app, payload),
      await postWebhook(app, tampered, signPayload(payload)),
      await postWebhook(app, payload, signPayload(payload, Math.floor(Date.now() / 1000) - 3_600)),
      await postWebhook(app, payload, signPayload(payload, undefined, 'whsec_someoneelse')),
      await postWebhook(app, payload, 't=1,v1=deadbeef'),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400]);
    expect(await sql(t.config.database.url, 'SELECT id FROM stripe_event WHERE id = $1', [event.id])).toEqual([]);
  });

  it('stores each event by id before processing, queues it as a job, and ignores redeliveries', async () => {
    const { org } = await organization();
    const sub = await subscribe(org, 'pro');
    const event = fake.updateSubscription(sub, { priceId: 'price_business' });
    const payload = JSON.stringify(event);
    const first = await postWebhook(app, payload, signPayload(payload));
    const again = await postWebhook(app, payload, signPayload(payload));
    expect([first.json(), again.json()]).toEqual([
      { received: true, duplicate: false },
      { received: true, duplicate: true },
    ]);
    const job = await app.get(QueueService).queue(QueueName.Billing).getJob(jobId(JobName.StripeEvent, event.id));
    expect(job?.data).toEqual({ eventId: event.id });
    expect(await planOf(org)).toBe('pro');
    expect(await app.get(BillingEventsService).process(event.id)).toBe('done');
    expect(await app.get(BillingEventsService).process(event.id)).toBe('skipped');
    expect(await planOf(org)).toBe('business');
    const stored = await sql(t.config.database.url, 'SELECT count(*)::int AS n, bool_and(processed_at IS NOT NULL) AS done FROM stripe_event WHERE id = $1', [event.id]);
    expect(stored).toEqual([{ n: 1, done: true }]);
  });

  it('keeps the newest subscription state when updated events arrive out of order', async () => {
    const { org, key } = await organization();
    const sub = await subscribe(org, 'pro');
    fake.advance(10);
    const upgrade = fake.updateSubscription(sub, { priceId: 'price_business' });
    fake.advance(10);
    const downgrade = fake.updateSubscription(sub, { priceId: 'price_pro' });
    await deliver(app, [downgrade, upgrade], [downgrade, upgrade]);
    expect(await planOf(org)).toBe('pro');
    fake.advance(10);
    const upgradeAgain = fake.updateSubscription(sub, { priceId: 'price_business' });
    await deliver(app, [upgradeAgain]);
    expect(await planOf(org)).toBe('business');
    expect((await app.get(ApiKeysService).resolve(key))?.planId).toBe('business');
  });

  it('keeps the plan through the past_due grace period, then falls back to free', async () => {
    const { org, key } = await organization();
    fake.advance(-3 * 3600);
    const sub = await subscribe(org, 'pro');
    fake.advance(2.5 * 3600);
    const recent = fake.updateSubscription(sub, { status: 'past_due' });
    await deliver(app, [recent, fake.invoiceEvent(fake.subscriptions.get(sub)!, 'invoice.payment_failed')]);
    expect(await planOf(org)).toBe('pro');
    const recheck = await app.get(QueueService).queue(QueueName.Billing).getJobs(['delayed']);
    expect(recheck.some((j) => (j.data as { recheck?: string }).recheck === org)).toBe(true);

    const { org: late } = await organization();
    fake.advance(-3 * 3600);
    const lateSub = await subscribe(late, 'pro');
    fake.advance(3600);
    await deliver(app, [fake.updateSubscription(lateSub, { status: 'past_due' })]);
    fake.advance(2 * 3600);
    // the past_due state is two hours old against a one-hour grace period
    expect(await planOf(late)).toBe('free');
    expect(await planOf(org)).toBe('pro');
    expect((await app.get(ApiKeysService).resolve(key))?.planId).toBe('pro');
  });

  it('cancellation at period end keeps the plan until Stripe deletes the subscription, then free', async () => {
    const { org, key } = await organization();
    const sub = await subscribe(org, 'business');
    fake.advance(5);
    await deliver(app, [fake.updateSubscription(sub, { cancelAtPeriodEnd: true })]);
    expect(await planOf(org)).toBe('business');
    fake.advance(5);
    await deliver(app, [fake.cancelSubscription(sub)]);
    expect(await planOf(org)).toBe('free');
    expect((await app.get(ApiKeysService).resolve(key))?.planId).toBe('free');
    expect((await bulk(key)).statusCode).toBe(402);
  });

  it('opens the customer portal for an organisation with a billing account, and audits both sessions', async () => {
    const { org } = await organization();
    expect((await post('/v1/billing/portal', { organization_id: org })).statusCode).toBe(404);
    await subscribe(org, 'pro');
    const portal = await post('/v1/billing/portal', { organization_id: org });
    expect(portal.statusCode).toBe(200);
    expect(portal.json().url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    const audit = await auditEntries(t.app, { target: `organization:${org}`, actionPrefix: 'billing.' });
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['billing.checkout_started', 'billing.portal_opened']));
  });

  it('refuses checkout for an unknown plan and without the CSRF token', async () => {
    const { org } = await organization();
    expect((await post('/v1/billing/checkout', { organization_id: org, plan_id: 'enterprise' })).statusCode).toBe(400);
    const noCsrf = await app.inject({ method: 'POST', url: '/v1/billing/checkout', payload: { organization_id: org, plan_id: 'pro' }, headers: { cookie: admin.cookie } });
    expect(noCsrf.statusCode).toBe(403);
  });
});
