import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { RevenueSnapshotJob } from '../../src/billing/revenue/revenue-figures.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { MembersRepository } from '../../src/members/members.repository.js';
import { operator, PASSWORD, seedCustomer } from '../browser/seed.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { auditEntries } from '../support/audit-entries.js';

const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Issue 18, the console's revenue page and customer actions through the JSON API (docs/operators.md
 * "Revenue", "Customers"): the MRR trend from the billing job's daily snapshots (blank before the first,
 * never estimated), failed payments with Stripe's status, top customers; customers by kind; suspension
 * (API keys answer 403 organization_suspended) and comped plans, audited with their reasons.
 */
describe('operator console: revenue and customer actions (API)', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let fake: FakeStripe;
  let db: string;
  let seq = 0;

  beforeAll(async () => {
    const started = await startFakeStripe();
    fake = started.fake;
    t = await createTestApp(started.env);
    app = t.app;
    db = t.config.database.url;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  async function session(role: 'admin' | 'billing' | 'support'): Promise<Record<string, string>> {
    const email = await operator(app, role);
    const res = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: PASSWORD }, remoteAddress: `10.67.0.${++seq}` });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { cookie, 'x-csrf-token': res.json().csrf_token as string };
  }

  const expectError = (res: { statusCode: number; json: () => unknown }, status: number, code?: string): void => {
    expect(res.statusCode).toBe(status);
    const body = res.json() as Record<string, unknown>;
    expect(body).toEqual(expect.objectContaining({ code: code ?? expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
  };

  /** Stripe fails the renewal of the organisation's subscription: past_due and a failed invoice (attempt 2, retry in 3 days). */
  async function failRenewal(org: string, amount: number): Promise<string> {
    const [sub] = await sql<{ id: string; customer_id: string }>(db, 'SELECT id, customer_id FROM subscription WHERE organization_id = $1', [org]);
    const pastDue = fake.updateSubscription(sub.id, { status: 'past_due' });
    const failed = fake.invoiceEvent({ id: sub.id, customer: sub.customer_id, items: { data: [{ price: { unit_amount: amount }, quantity: 1 }] } }, 'invoice.payment_failed');
    const invoice = failed.data.object as Record<string, unknown>;
    Object.assign(invoice, { attempt_count: 2, next_payment_attempt: fake.now() + 3 * 86_400 });
    await deliver(app, [pastDue, failed]);
    return invoice.id as string;
  }

  it('answers the revenue page: daily MRR from the snapshots, failed payments with their Stripe status, top customers', async () => {
    const paying = await seedCustomer(app, fake, db, 'pro', [{ daysAgo: 1, lookups: 5_000 }]);
    const failing = await seedCustomer(app, fake, db, 'business', [{ daysAgo: 0, lookups: 40 }]);
    const invoiceId = await failRenewal(failing.org, 19_900);
    // the hourly job stores today's figures
    expect(await app.get(RevenueSnapshotJob).handleJob()).toBe('done');
    const now = Date.now();
    const [stored] = await sql<{ mrr_cents: string; past_due: number }>(db, 'SELECT mrr_cents, past_due FROM billing_daily WHERE day = $1::date', [dayOf(now)]);
    // a day ten days ago, as the hourly job left it then; the days before it have no snapshot
    const tenDaysAgo = dayOf(now - 10 * DAY_MS);
    await sql(db, 'INSERT INTO billing_daily (day, mrr_cents, live_subscriptions, past_due, taken_at) VALUES ($1::date, 123400, 7, 1, now()) ON CONFLICT (day) DO NOTHING', [tenDaysAgo]);

    expectError(await app.inject({ method: 'GET', url: '/v1/admin/revenue', headers: await session('support') }), 403);
    const res = await app.inject({ method: 'GET', url: '/v1/admin/revenue', headers: await session('billing') });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    const [live] = await sql<{ mrr: string; past_due: string }>(db, "SELECT SUM(amount_cents) FILTER (WHERE status IN ('active','trialing','past_due')) AS mrr, COUNT(*) FILTER (WHERE status = 'past_due') AS past_due FROM subscription");
    expect(page.daily).toHaveLength(365);
    const today = page.daily[364];
    expect(today.day).toBe(dayOf(now));
    expect(today.mrr_cents).toBe(Number(live.mrr));
    expect(Number(stored.mrr_cents)).toBe(Number(live.mrr));
    expect(stored.past_due).toBe(Number(live.past_due));
    expect(today.past_due).toBe(Number(live.past_due));
    expect(today.past_due).toBeGreaterThanOrEqual(1);
    expect(today.new_subscriptions).toBeGreaterThanOrEqual(2);
    expect(page.mrr_cents).toBe(Number(live.mrr));
    const old = page.daily.find((d: { day: string }) => d.day === tenDaysAgo);
    expect(old).toEqual(expect.objectContaining({ mrr_cents: 123_400, live_subscriptions: 7, past_due: 1 }));
    const before = page.daily.filter((d: { day: string }) => d.day < tenDaysAgo);
    expect(before.every((d: { mrr_cents: number | null }) => d.mrr_cents === null)).toBe(true);
    expect(page.snapshots_since <= tenDaysAgo).toBe(true);

    const failedRow = page.failed_payments.find((f: { invoice_id: string }) => f.invoice_id === invoiceId);
    expect(failedRow).toEqual(expect.objectContaining({ organization_id: failing.org, organization_name: failing.name, stripe_status: 'open', amount_cents: 19_900, attempt_count: 2 }));
    expect(failedRow.next_payment_attempt).not.toBeNull();
    expect(page.top_by_revenue).toEqual(expect.arrayContaining([expect.objectContaining({ organization_id: paying.org, name: paying.name, paid_cents: 4_900 })]));
    expect(page.top_by_usage[0]).toEqual(expect.objectContaining({ organization_id: paying.org, lookups: 5_000 }));

    // Stripe voids the invoice: the failed payment now shows Stripe's `void`, and the account shows it as void
    const voided = fake.event('invoice.voided', { ...(await invoiceObject(invoiceId)), status: 'void' });
    await deliver(app, [voided]);
    const after = (await app.inject({ method: 'GET', url: '/v1/admin/revenue', headers: await session('admin') })).json();
    expect(after.failed_payments.find((f: { invoice_id: string }) => f.invoice_id === invoiceId)?.stripe_status).toBe('void');
  });

  async function invoiceObject(id: string): Promise<Record<string, unknown>> {
    const [row] = await sql<{ organization_id: string; subscription_id: string; amount_cents: number; created_at: Date }>(db, 'SELECT organization_id, subscription_id, amount_cents, created_at FROM invoice WHERE id = $1', [id]);
    const [customer] = await sql<{ customer_id: string }>(db, 'SELECT customer_id FROM stripe_customer WHERE organization_id = $1', [row.organization_id]);
    return { id, object: 'invoice', customer: customer.customer_id, amount_due: row.amount_cents, amount_paid: 0, currency: 'usd', created: Math.floor(row.created_at.getTime() / 1000), attempt_count: 2, next_payment_attempt: null, parent: { subscription_details: { subscription: row.subscription_id } } };
  }

  it("shows a customer's account: subscription history and invoices as Stripe says (failed = open with a failed attempt)", async () => {
    const customer = await seedCustomer(app, fake, db, 'pro', []);
    const invoiceId = await failRenewal(customer.org, 4_900);
    const email = `billing-${randomUUID()}@customer.example`;
    await app.get(MembersRepository).create({ organizationId: customer.org, email, passwordHash: 'not-a-real-hash', role: 'billing', emailVerifiedAt: new Date() });
    const res = await app.inject({ method: 'GET', url: `/v1/admin/customers/${customer.org}/account`, headers: await session('support') });
    expect(res.statusCode).toBe(200);
    const account = res.json();
    expect(account).toEqual(expect.objectContaining({ id: customer.org, kind: 'customer', suspended_at: null }));
    expect(account.subscription_history.map((h: { status: string }) => h.status)).toEqual(['past_due', 'active']);
    const states = new Map((account.invoices as Array<{ id: string; state: string; stripe_status: string }>).map((i) => [i.id, i]));
    expect(states.get(invoiceId)).toEqual(expect.objectContaining({ state: 'failed', stripe_status: 'open', attempt_count: 2 }));
    expect([...states.values()].some((i) => i.state === 'paid')).toBe(true);
    // its people, for support: role, e-mail, two-factor, last sign-in; never a password hash
    expect(account.members).toEqual([expect.objectContaining({ email, role: 'billing', totp_enabled: false, last_login_at: null })]);
    expect(JSON.stringify(account.members)).not.toContain('not-a-real-hash');
    expectError(await app.inject({ method: 'GET', url: `/v1/admin/customers/${randomUUID()}/account`, headers: await session('support') }), 404);
    expectError(await app.inject({ method: 'GET', url: '/v1/admin/customers/not-a-uuid/account', headers: await session('support') }), 400);
  });

  it('lists organisations by kind (customer by default, community, internal) and refuses an unknown kind', async () => {
    const stamp = randomUUID().slice(0, 6);
    const community = (await app.get(OrganizationsService).create(`Kind Community ${stamp}`, 'community')).id;
    const customer = (await app.get(OrganizationsService).create(`Kind Customer ${stamp}`)).id;
    const headers = await session('support');
    const ids = async (query: string) => ((await app.inject({ method: 'GET', url: `/v1/admin/customers?q=${stamp}${query}`, headers })).json().customers as Array<{ id: string; kind: string }>).map((c) => `${c.kind}:${c.id}`);
    expect(await ids('')).toEqual([`customer:${customer}`]);
    expect(await ids('&kind=community')).toEqual([`community:${community}`]);
    expect(await ids('&kind=internal')).toEqual([]);
    expectError(await app.inject({ method: 'GET', url: '/v1/admin/customers?kind=partner', headers }), 400);
  });

  it("suspends an organisation: its API keys answer 403 organization_suspended until it is resumed; audited with the reason", async () => {
    const org = (await app.get(OrganizationsService).create(`Suspended ${randomUUID().slice(0, 6)}`)).id;
    const { key } = await app.get(ApiKeysService).create(org, 'prod', ['usage', 'lookup'], 'test');
    const usage = () => app.inject({ method: 'GET', url: `/v1/organizations/${org}/usage`, headers: { 'x-api-key': key } });
    // the single-IP lookup runs its own fast route (src/lookup/fast-lookup-route.ts): refused the same way
    const lookup = () => app.inject({ method: 'GET', url: '/v1/ip/45.83.12.1', headers: { 'x-api-key': key } });
    expect([401, 403]).not.toContain((await lookup()).statusCode);
    expect((await usage()).statusCode).toBe(200);
    const admin = await session('admin');
    const suspend = (body: object, headers = admin) => app.inject({ method: 'POST', url: `/v1/admin/organizations/${org}/suspend`, headers, payload: body });
    expectError(await suspend({}), 400, 'validation_failed');
    expectError(await suspend({ reason: '   ' }), 400, 'validation_failed');
    expectError(await suspend({ reason: 'x'.repeat(501) }), 400, 'validation_failed');
    expectError(await suspend({ reason: 'Card fraud reported' }, await session('billing')), 403);
    const done = await suspend({ reason: 'Card fraud reported by the bank' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual(expect.objectContaining({ suspended_at: expect.any(String), suspension_reason: 'Card fraud reported by the bank' }));
    expectError(await usage(), 403, 'organization_suspended');
    expectError(await lookup(), 403, 'organization_suspended');
    expectError(await suspend({ reason: 'again and again' }), 409);
    const listed = (await app.inject({ method: 'GET', url: `/v1/admin/customers?q=${encodeURIComponent(done.json().name)}`, headers: admin })).json().customers;
    expect(listed[0].suspended_at).not.toBeNull();

    const resume = await app.inject({ method: 'POST', url: `/v1/admin/organizations/${org}/resume`, headers: admin, payload: { reason: 'Bank confirmed the card' } });
    expect(resume.statusCode).toBe(200);
    expect(resume.json().suspended_at).toBeNull();
    expect((await usage()).statusCode).toBe(200);
    expect([401, 403]).not.toContain((await lookup()).statusCode);
    const audit = await auditEntries(app, { target: `organization:${org}` });
    expect(audit.filter((a) => a.action.startsWith('organization.s') || a.action === 'organization.resumed').map((a) => [a.action, (a.details as { reason: string }).reason])).toEqual([
      ['organization.suspended', 'Card fraud reported by the bank'],
      ['organization.resumed', 'Bank confirmed the card'],
    ]);
    // two operators suspending at once: one wins, the other is told it is already suspended, one audit entry
    const both = await Promise.all([suspend({ reason: 'Chargeback one' }), suspend({ reason: 'Chargeback two' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await auditEntries(app, { target: `organization:${org}`, action: 'organization.suspended' })).length).toBe(2);
  });

  it('comps a plan for a period with a mandatory reason: the plan applies at once, audited, shown in the account', async () => {
    const org = (await app.get(OrganizationsService).create(`Comped ${randomUUID().slice(0, 6)}`)).id;
    const billing = await session('billing');
    const comp = (body: object, headers = billing) => app.inject({ method: 'POST', url: `/v1/admin/organizations/${org}/comps`, headers, payload: body });
    const until = new Date(Date.now() + 30 * DAY_MS).toISOString();
    expectError(await comp({ plan_id: 'business', ends_at: until }), 400, 'validation_failed');
    expectError(await comp({ plan_id: 'business', ends_at: 'tomorrow', reason: 'Partner pilot' }), 400, 'validation_failed');
    expectError(await comp({ plan_id: 'business', ends_at: new Date(Date.now() - DAY_MS).toISOString(), reason: 'Partner pilot' }), 400);
    expectError(await comp({ plan_id: 'business', ends_at: new Date(Date.now() + 400 * DAY_MS).toISOString(), reason: 'Partner pilot' }), 400);
    expectError(await comp({ plan_id: 'free', ends_at: until, reason: 'Partner pilot' }), 400);
    expectError(await comp({ plan_id: 'business', starts_at: new Date(Date.now() + 400 * DAY_MS).toISOString(), ends_at: new Date(Date.now() + 401 * DAY_MS).toISOString(), reason: 'Partner pilot' }), 400);
    expectError(await comp({ plan_id: 'platinum', ends_at: until, reason: 'Partner pilot' }), 404);
    expectError(await comp({ plan_id: 'business', ends_at: until, reason: 'Partner pilot' }, await session('support')), 403);
    const done = await comp({ plan_id: 'business', ends_at: until, reason: 'Partner pilot until the contract is signed' });
    expect(done.statusCode).toBe(201);
    expect(done.json().comps).toEqual([expect.objectContaining({ plan_id: 'business', ends_at: until, reason: 'Partner pilot until the contract is signed', state: 'running', granted_by: expect.stringMatching(/^operator:/) })]);
    const plan = await app.inject({ method: 'GET', url: `/v1/admin/organizations/${org}/plan`, headers: billing });
    expect(plan.json().id).toBe('business');
    const audit = await auditEntries(app, { target: `organization:${org}`, action: 'plan.comped' });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual(expect.objectContaining({ plan: 'business', until, reason: 'Partner pilot until the contract is signed' }));
  });
});
