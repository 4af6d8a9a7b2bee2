import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Stripe from 'stripe';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, FAKE_SECRET_KEY, startFakeStripe } from '../fakes/stripe/harness.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createMember, type Member } from '../support/principals.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';


interface PublicPlan {
  id: string;
  price: { amount_cents: number; currency: string; interval: string; source: string } | null;
  purchasable: boolean;
  limits: { daily_quota: number; monthly_quota: number; bulk_size: number };
}

/** Issue 17, API level: prices, a member's checkout (once), invoices, and usage per key per day. */
describe('customer billing and usage', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let fake: FakeStripe;
  let fakePort = 0;
  let seq = 0;

  beforeAll(async () => {
    const started = await startFakeStripe();
    fake = started.fake;
    fakePort = Number(started.env.STRIPE_API_PORT);
    t = await createTestApp(started.env);
    app = t.app;
    await waitFor('the lookup index', 60_000, () => app.get(LookupIndexService).ready);
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  }, APP_BOOT_TIMEOUT_MS);

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    app.inject({ method, url, headers, remoteAddress: `10.232.0.${++seq % 250}`, ...(payload ? { payload } : {}) });

  async function customer(): Promise<{ org: string; owner: Member; billing: Member; developer: Member }> {
    const org = (await app.get(OrganizationsService).create(`customer-billing-${++seq}`, 'customer')).id;
    return { org, owner: await createMember(app, org, 'owner'), billing: await createMember(app, org, 'billing'), developer: await createMember(app, org, 'developer') };
  }

  it('lists plans publicly with Stripe prices where Stripe has one, list prices otherwise, and limits', async () => {
    const res = await call('GET', '/v1/plans', {});
    expect(res.statusCode).toBe(200);
    const plans = new Map((res.json().plans as PublicPlan[]).map((p) => [p.id, p]));
    expect(plans.get('pro')).toMatchObject({ price: { amount_cents: 4_900, currency: 'usd', interval: 'month', source: 'stripe' }, purchasable: true, limits: { daily_quota: expect.any(Number) } });
    expect(plans.get('business')?.price?.source).toBe('stripe');
    expect(plans.get('free')).toMatchObject({ price: { amount_cents: 0, source: 'plan' }, purchasable: false });
    expect(plans.get('enterprise')?.price).toBeNull();
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/prices/')).length).toBeGreaterThan(0);
    // cached: a second list does not ask Stripe again
    const asked = fake.requests.length;
    await call('GET', '/v1/plans', {});
    expect(fake.requests.length).toBe(asked);
  });

  it('lets a billing member check out once: a second checkout while subscribed is refused with 409 subscription_active', async () => {
    const c = await customer();
    const key = (await call('POST', `/v1/organizations/${c.org}/api-keys`, c.developer.headers, { name: 'bulk', scopes: ['lookup'] })).json().key as string;
    const bulk = () => call('POST', '/v1/ip/bulk', { 'x-api-key': key }, { ips: ['45.83.14.1', '45.83.14.2'] });
    // free plan: no bulk lookups (402: the plan does not include them)
    expect((await bulk()).statusCode).toBe(402);
    expect((await call('POST', '/v1/billing/checkout', c.developer.headers, { organization_id: c.org, plan_id: 'pro' })).statusCode).toBe(403);
    const first = await call('POST', '/v1/billing/checkout', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    expect(first.statusCode).toBe(200);
    const { subscription, events } = fake.completeCheckout(first.json().id as string);
    await deliver(app, events);
    const plan = await call('GET', `/v1/admin/organizations/${c.org}/plan`, c.billing.headers);
    expect([plan.statusCode, plan.json().id]).toEqual([200, 'pro']);
    // the paid plan's limits apply to the key at once
    await waitFor('bulk lookups on the pro plan', 10_000, async () => (await bulk()).statusCode === 200);

    for (const planId of ['pro', 'business']) {
      const again = await call('POST', '/v1/billing/checkout', c.owner.headers, { organization_id: c.org, plan_id: planId });
      expect([again.statusCode, again.json().code]).toEqual([409, 'subscription_active']);
    }
    const customerId = subscription.customer as string;
    expect([...fake.subscriptions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);
    expect([...fake.sessions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);

    const invoices = await call('GET', `/v1/organizations/${c.org}/invoices`, c.billing.headers);
    expect(invoices.json().invoices).toEqual([expect.objectContaining({ status: 'paid', amount_cents: expect.any(Number), currency: 'usd' })]);
    expect((await call('GET', `/v1/organizations/${c.org}/invoices`, c.developer.headers)).statusCode).toBe(403);
  });

  it('changes the plan on the existing subscription (prorated, invoiced), never a second one, and the new limits apply', async () => {
    const c = await customer();
    const first = await call('POST', '/v1/billing/checkout', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    const { subscription, events } = fake.completeCheckout(first.json().id as string);
    await deliver(app, events);
    const planOf = async () => (await call('GET', `/v1/admin/organizations/${c.org}/plan`, c.billing.headers)).json() as { id: string; daily_quota: number };
    expect((await planOf()).id).toBe('pro');

    // developers and viewers may not; a plan without a Stripe price, or the current plan, is refused
    expect((await call('POST', '/v1/billing/plan-change', c.developer.headers, { organization_id: c.org, plan_id: 'business' })).statusCode).toBe(403);
    expect((await call('POST', '/v1/billing/plan-change', c.billing.headers, { organization_id: c.org, plan_id: 'enterprise' })).statusCode).toBe(400);
    const same = await call('POST', '/v1/billing/plan-change', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    expect([same.statusCode, same.json().code]).toEqual([409, 'plan_unchanged']);

    const up = await call('POST', '/v1/billing/plan-change', c.owner.headers, { organization_id: c.org, plan_id: 'business' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ subscription_id: subscription.id, from_plan_id: 'pro', plan_id: 'business', status: 'active' });
    // Stripe's answer changed the subscription item in place: one subscription, its licensed item on the business price
    const customerId = subscription.customer as string;
    const subs = [...fake.subscriptions.values()].filter((s) => s.customer === customerId);
    expect(subs).toHaveLength(1);
    const items = (subs[0].items as { data: Array<{ price: { id: string } }> }).data.map((i) => i.price.id);
    expect(items).toEqual(['price_business', 'price_overage']);
    const changeEvents = fake.takeEvents();
    expect(changeEvents.map((e) => e.type)).toEqual(['customer.subscription.updated', 'invoice.paid']);
    // the proration: the price difference for the rest of the period (nearly all of it)
    const prorated = (changeEvents[1].data.object as { amount_paid: number }).amount_paid;
    expect(prorated).toBeGreaterThan(19_900 - 4_900 - 100);
    expect(prorated).toBeLessThanOrEqual(19_900 - 4_900);
    // the plan applies when Stripe confirms
    expect((await planOf()).id).toBe('pro');
    await deliver(app, changeEvents);
    const business = await planOf();
    expect(business.id).toBe('business');
    const invoices = (await call('GET', `/v1/organizations/${c.org}/invoices`, c.billing.headers)).json().invoices as Array<{ amount_cents: number }>;
    expect(invoices.map((i) => i.amount_cents).sort((a, b) => a - b)).toEqual([prorated, 4_900].sort((a, b) => a - b));

    // and back down: a credit, no charge
    const down = await call('POST', '/v1/billing/plan-change', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    expect(down.json().from_plan_id).toBe('business');
    const downEvents = fake.takeEvents();
    expect((downEvents[1].data.object as { amount_paid: number }).amount_paid).toBe(0);
    await deliver(app, downEvents);
    expect((await planOf()).id).toBe('pro');
    expect([...fake.subscriptions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);
    expect([...fake.sessions.values()].filter((s) => s.customer === customerId)).toHaveLength(1);

    // without a subscription there is nothing to change
    const fresh = await customer();
    const none = await call('POST', '/v1/billing/plan-change', fresh.billing.headers, { organization_id: fresh.org, plan_id: 'business' });
    expect([none.statusCode, none.json().code]).toEqual([409, 'no_subscription']);
  });

  it('the fake Stripe answers subscriptions.update as the real SDK sends it', async () => {
    const sdk = new Stripe(FAKE_SECRET_KEY, { host: '127.0.0.1', port: fakePort, protocol: 'http', maxNetworkRetries: 0 });
    const c = await customer();
    const first = await call('POST', '/v1/billing/checkout', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    const { subscription } = fake.completeCheckout(first.json().id as string);
    const read = await sdk.subscriptions.retrieve(subscription.id as string);
    const licensed = read.items.data.find((i) => i.price.recurring?.usage_type === 'licensed');
    expect(licensed?.price.id).toBe('price_pro');
    const updated = await sdk.subscriptions.update(read.id, { items: [{ id: licensed?.id, price: 'price_business' }], proration_behavior: 'create_prorations', metadata: { plan_id: 'business' } });
    expect(updated.items.data.map((i) => i.price.id)).toEqual(['price_business', 'price_overage']);
    expect(updated.metadata).toMatchObject({ plan_id: 'business', organization_id: c.org });
    expect(fake.takeEvents().map((e) => e.type)).toEqual(['customer.subscription.updated']);
    // Stripe's error shapes come back as the SDK's errors
    await expect(sdk.subscriptions.update(read.id, { items: [{ id: 'si_unknown', price: 'price_business' }] })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'items[0][id]' });
    await expect(sdk.subscriptions.update(read.id, { items: [{ id: licensed?.id, price: 'price_nope' }] })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'items[0][price]' });
  });

  it('keeps at most one open checkout per organisation: a new one expires the earlier, concurrent ones leave one open', async () => {
    const c = await customer();
    const checkout = () => call('POST', '/v1/billing/checkout', c.billing.headers, { organization_id: c.org, plan_id: 'pro' });
    const first = await checkout();
    const second = await checkout();
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json().url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(fake.sessions.get(first.json().id as string)?.status).toBe('expired');
    expect(() => fake.completeCheckout(first.json().id as string)).toThrow(/expired/);
    const customerId = fake.sessions.get(second.json().id as string)?.customer;
    const together = await Promise.all([checkout(), checkout(), checkout()]);
    expect(together.every((r) => r.statusCode === 200 || r.json().code === 'checkout_in_progress')).toBe(true);
    const open = [...fake.sessions.values()].filter((s) => s.customer === customerId && s.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0].success_url).toMatch(/\/app\/#\/billing\/success$/);
  });

  it('shows usage per key per day to members and to keys with the read-only usage scope, never across organisations', async () => {
    const c = await customer();
    const other = await customer();
    const lookupKey = await call('POST', `/v1/organizations/${c.org}/api-keys`, c.developer.headers, { name: 'lookups', scopes: ['lookup'] });
    const usageKey = await call('POST', `/v1/organizations/${c.org}/api-keys`, c.developer.headers, { name: 'dashboards', scopes: ['usage'] });
    expect([lookupKey.statusCode, usageKey.statusCode]).toEqual([201, 201]);
    for (let i = 1; i <= 3; i++) expect((await call('GET', `/v1/ip/45.83.13.${i}`, { 'x-api-key': lookupKey.json().key as string })).statusCode).toBe(200);
    // the usage-only key cannot look up
    expect((await call('GET', '/v1/ip/45.83.13.9', { 'x-api-key': usageKey.json().key as string })).statusCode).toBe(403);
    await app.get(LookupUsageService).flush();

    const viewer = await createMember(app, c.org, 'viewer');
    for (const headers of [viewer.headers, { 'x-api-key': usageKey.json().key as string }]) {
      const daily = await call('GET', `/v1/organizations/${c.org}/usage/daily`, headers);
      expect(daily.statusCode).toBe(200);
      expect(daily.json()).toMatchObject({ total: 3, keys: [{ api_key_id: lookupKey.json().id, name: 'lookups', prefix: lookupKey.json().prefix, lookups: 3 }] });
      expect(daily.json().days).toEqual([{ day: new Date().toISOString().slice(0, 10), api_key_id: lookupKey.json().id, lookups: 3 }]);
    }
    expect((await call('GET', `/v1/organizations/${c.org}/usage`, { 'x-api-key': lookupKey.json().key as string })).statusCode).toBe(403);
    expect((await call('GET', `/v1/organizations/${other.org}/usage/daily`, { 'x-api-key': usageKey.json().key as string })).statusCode).toBe(403);
    expect((await call('GET', `/v1/organizations/${other.org}/usage/daily`, viewer.headers)).statusCode).toBe(403);
    expect((await call('GET', `/v1/organizations/${c.org}/usage/daily?from=2026-01-01&to=2026-12-31`, viewer.headers)).statusCode).toBe(400);
  });
});
