import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { BillingService } from '../../src/billing/billing.service.js';
import { periodOf } from '../../src/billing/usage/overage.js';
import { UsageReporterService } from '../../src/billing/usage/usage-reporter.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('metered usage reporting', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let fake: FakeStripe;

  beforeAll(async () => {
    const started = await startFakeStripe();
    fake = started.fake;
    t = await createTestApp(started.env);
    app = t.app;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  async function paidOrganization(plan: string): Promise<{ org: string; customer: string }> {
    const org = (await app.get(OrganizationsService).create(`metered-${randomUUID().slice(0, 8)}`)).id;
    const customer = await app.get(BillingService).ensureCustomer(org);
    await app.get(LookupPlansService).setOrganizationPlan(org, plan);
    return { org, customer };
  }

  async function count(org: string, lookups: number, hour = new Date()): Promise<void> {
    hour.setUTCMinutes(0, 0, 0);
    await sql(t.config.database.url, 'INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups) VALUES ($1, $2, $3, $4)', [org, randomUUID(), hour, lookups]);
  }

  it('reports only lookups beyond the included volume, exactly once under retries, and reconciles', async () => {
    const reporter = app.get(UsageReporterService);
    const included = (await app.get(LookupPlansService).get('pro')).monthlyQuota;
    const { org, customer } = await paidOrganization('pro');
    const { org: within } = await paidOrganization('pro');
    await count(org, included + 1_234);
    await count(within, included - 1);
    // the answers to the first three attempts are lost after Stripe stored the event: the job fails
    fake.dropMeterEventAnswers = 3;
    const failure = await reporter.report().then(() => null, (e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(fake.meteredTotal(customer)).toBe(1_234);
    // the job's retry sends the same identifier: not billed twice
    await reporter.report();
    await reporter.report();
    expect(fake.meteredTotal(customer)).toBe(1_234);

    await count(org, 100, new Date(Date.now() - 3_600_000));
    await reporter.report();
    expect(fake.meteredTotal(customer)).toBe(1_334);
    const identifiers = [...fake.meterEvents.values()].filter((e) => (e.payload as { stripe_customer_id: string }).stripe_customer_id === customer);
    expect(identifiers).toHaveLength(2);

    const { rows } = await reporter.reconciliation(new Date());
    const mine = rows.find((r) => r.organizationId === org)!;
    expect(mine).toEqual(expect.objectContaining({ counted: BigInt(included + 1_334), overage: 1_334n, recorded: 1_334n, reported: 1_334n, pending: 0n }));
    const other = rows.find((r) => r.organizationId === within)!;
    expect(other).toEqual(expect.objectContaining({ overage: 0n, reported: 0n }));

    const email = `recon-${randomUUID().slice(0, 8)}@example.net`;
    await app.get(OperatorAuthService).createOperator(email, 'billing', 'a-long-enough-password');
    const login = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: '10.44.0.1' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const res = await app.inject({ method: 'GET', url: `/v1/billing/reconciliation?period=${periodOf(new Date()).label}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.find((r: { organization_id: string }) => r.organization_id === org)).toEqual(
      expect.objectContaining({ counted: included + 1_334, overage: 1_334, reported: 1_334, pending: 0, difference: 0 }),
    );
  });

  it('does not meter free organisations', async () => {
    const { org, customer } = await paidOrganization('free');
    await count(org, 50_000);
    await app.get(UsageReporterService).report();
    expect(fake.meteredTotal(customer)).toBe(0);
    const stored = await sql(t.config.database.url, 'SELECT count(*)::int AS n FROM usage_report WHERE organization_id = $1 AND period = $2', [org, periodOf(new Date()).start]);
    expect(stored).toEqual([{ n: 0 }]);
  });
});
