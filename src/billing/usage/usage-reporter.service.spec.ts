import Stripe from 'stripe';
import type { AppConfig } from '../../config/app-config.js';
import { FixedClock } from '../../infra/clock/clock.js';
import type { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import type { UsageLedger } from '../../lookup/usage/usage-ledger.js';
import type { BillingRepository } from '../billing.repository.js';
import type { PendingReport, UsageReportRepository } from './usage-report.repository.js';
import { UsageReporterService } from './usage-reporter.service.js';

const PAID = '00000000-0000-4000-8000-000000000001';
const FREE = '00000000-0000-4000-8000-000000000002';
const NO_CUSTOMER = '00000000-0000-4000-8000-000000000003';

/** usage_report in memory: increments recorded before they are sent, unique by identifier. */
class FakeUsageReports {
  readonly rows: Array<PendingReport & { period: string; reportedAt: Date | null }> = [];
  constructor(private readonly customers: string[]) {}
  async customerOrganizations(): Promise<string[]> {
    return this.customers;
  }
  async recorded(period: Date): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    for (const r of this.rows) if (r.period === period.toISOString()) out.set(r.organizationId, (out.get(r.organizationId) ?? 0n) + r.quantity);
    return out;
  }
  async record(identifier: string, organizationId: string, period: Date, quantity: bigint): Promise<boolean> {
    if (this.rows.some((r) => r.identifier === identifier)) return false;
    this.rows.push({ identifier, organizationId, quantity, period: period.toISOString(), reportedAt: null });
    return true;
  }
  async pending(): Promise<PendingReport[]> {
    return this.rows.filter((r) => r.reportedAt === null).map(({ identifier, organizationId, quantity }) => ({ identifier, organizationId, quantity }));
  }
  async markReported(identifier: string, at: Date): Promise<void> {
    const row = this.rows.find((r) => r.identifier === identifier);
    if (!row) throw new Error(`no usage report ${identifier}`);
    row.reportedAt = at;
  }
}

/** Stripe's meter events as Stripe keeps them: one per identifier, a repeated identifier refused. */
class FakeMeterEvents {
  readonly events = new Map<string, { customer: string; value: string }>();
  readonly calls: string[] = [];
  failNext = 0;
  async create(params: { identifier: string; payload: { stripe_customer_id: string; value: string } }, options: { idempotencyKey: string }): Promise<object> {
    this.calls.push(params.identifier);
    expect(options.idempotencyKey).toBe(params.identifier);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection reset');
    }
    if (this.events.has(params.identifier)) {
      throw new Stripe.errors.StripeInvalidRequestError({ type: 'invalid_request_error', message: `An event with identifier ${params.identifier} already exists.` });
    }
    this.events.set(params.identifier, { customer: params.payload.stripe_customer_id, value: params.payload.value });
    return {};
  }
}

function setup(counted: Map<string, bigint>) {
  const clock = new FixedClock(new Date('2026-12-07T12:00:00.000Z'));
  const reports = new FakeUsageReports([PAID, FREE, NO_CUSTOMER]);
  const meterEvents = new FakeMeterEvents();
  const stripe = { billing: { meterEvents } } as unknown as Stripe;
  const ledger = { totalsByOrganization: async () => new Map(counted) } as unknown as UsageLedger;
  const plans = {
    planIdOf: async (org: string) => (org === FREE ? 'free' : 'pro'),
    policy: async (planId: string) => ({ record: { monthlyQuota: planId === 'pro' ? 1_000 : 100 } }),
  } as unknown as LookupPlansService;
  const billing = { customerOf: async (org: string) => (org === NO_CUSTOMER ? null : `cus_${org.slice(-1)}`) } as unknown as BillingRepository;
  const config = { billing: { meterEventName: 'quorum_lookups' } } as unknown as AppConfig;
  const service = new UsageReporterService(reports as unknown as UsageReportRepository, billing, plans, ledger, clock, stripe, config);
  return { service, reports, meterEvents, counted };
}

describe('UsageReporterService.report', () => {
  it('reports the overage of paid plans only, once per increment, with the identifier as idempotency key', async () => {
    const { service, reports, meterEvents } = setup(new Map([[PAID, 1_250n], [FREE, 5_000n]]));
    expect(await service.report()).toBe(1);
    expect([...meterEvents.events]).toEqual([[`quorum-${PAID}-2026-12-0`, { customer: 'cus_1', value: '250' }]]);
    expect(reports.rows.every((r) => r.reportedAt !== null)).toBe(true);
    // nothing new counted: nothing recorded nor sent again
    expect(await service.report()).toBe(0);
    expect(meterEvents.calls).toHaveLength(1);
  });

  it('sends only the new overage of a later run, under the identifier of its offset', async () => {
    const { service, meterEvents, counted } = setup(new Map([[PAID, 1_250n]]));
    await service.report();
    counted.set(PAID, 1_400n);
    expect(await service.report()).toBe(1);
    expect(meterEvents.events.get(`quorum-${PAID}-2026-12-250`)).toEqual({ customer: 'cus_1', value: '150' });
    expect([...meterEvents.events.values()].reduce((sum, e) => sum + BigInt(e.value), 0n)).toBe(400n);
  });

  it('after a failed send, resends the same increment under the same identifier and never bills twice', async () => {
    const { service, reports, meterEvents } = setup(new Map([[PAID, 1_250n]]));
    meterEvents.failNext = 1;
    await expect(service.report()).rejects.toThrow('connection reset');
    expect(reports.rows).toMatchObject([{ quantity: 250n, reportedAt: null }]);
    expect(await service.report()).toBe(1);
    expect(meterEvents.calls).toEqual([`quorum-${PAID}-2026-12-0`, `quorum-${PAID}-2026-12-0`]);
    expect(meterEvents.events.size).toBe(1);
  });

  it('takes a refusal of an identifier Stripe already has as reported (sent, but not marked before a crash)', async () => {
    const { service, reports, meterEvents } = setup(new Map([[PAID, 1_250n]]));
    await service.report();
    reports.rows[0].reportedAt = null;
    expect(await service.report()).toBe(1);
    expect(reports.rows[0].reportedAt).not.toBeNull();
    expect(meterEvents.events.size).toBe(1);
  });

  it('keeps the increment of an organisation without a Stripe customer pending', async () => {
    const { service, reports, meterEvents } = setup(new Map([[NO_CUSTOMER, 2_000n]]));
    expect(await service.report()).toBe(0);
    expect(reports.rows).toMatchObject([{ organizationId: NO_CUSTOMER, quantity: 1_000n, reportedAt: null }]);
    expect(meterEvents.calls).toEqual([]);
  });

  it('skips the job when Stripe is not configured', async () => {
    const { reports } = setup(new Map([[PAID, 1_250n]]));
    const unconfigured = new UsageReporterService(reports as unknown as UsageReportRepository, {} as BillingRepository, {} as LookupPlansService, {} as UsageLedger, new FixedClock(new Date()), null, {} as AppConfig);
    expect(await unconfigured.handleJob()).toBe('skipped');
    expect(reports.rows).toEqual([]);
  });
});
