import type { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import { BillingEventsService } from './billing-events.service.js';
import type { BillingRepository } from './billing.repository.js';
import type { EntitlementsService } from './entitlements.service.js';
import { isNewer, type SubscriptionState } from './subscription-state.js';

const ORG = '00000000-0000-4000-8000-00000000000a';
const T0 = 1_796_000_000; // event times, in Stripe's seconds

interface StoredEvent {
  id: string;
  type: string;
  created: number;
  payload: unknown;
  processedAt: Date | null;
  error?: string | null;
}

/** The billing tables in memory: events by id, customers, subscriptions kept only when newer. */
class FakeBillingRepository {
  readonly events = new Map<string, StoredEvent>();
  readonly customers = new Map<string, string>(); // customer -> organisation
  readonly subscriptions = new Map<string, SubscriptionState>();
  readonly changes: Array<{ status: string; at: Date }> = [];
  async recordSubscriptionChange(state: SubscriptionState, at: Date) {
    if (!this.changes.some((c) => c.status === state.status && c.at.getTime() === at.getTime())) this.changes.push({ status: state.status, at });
  }
  async findEvent(id: string) {
    return this.events.get(id) ?? null;
  }
  async markEvent(id: string, at: Date, error: string | null) {
    const event = this.events.get(id)!;
    if (error) event.error = error;
    else Object.assign(event, { processedAt: at, error: null });
  }
  async organizationOfCustomer(customerId: string) {
    return this.customers.get(customerId) ?? null;
  }
  async linkCustomer(organizationId: string, customerId: string) {
    if (![...this.customers.values()].includes(organizationId)) this.customers.set(customerId, organizationId);
  }
  async subscription(id: string) {
    return this.subscriptions.get(id) ?? null;
  }
  async saveSubscriptionIfNewer(state: SubscriptionState) {
    if (!isNewer(state, this.subscriptions.get(state.id) ?? null)) return false;
    this.subscriptions.set(state.id, state);
    return true;
  }
}

function subscriptionEvent(id: string, created: number, status: string, price = 'price_pro'): StoredEvent {
  const object = {
    object: 'subscription',
    id: 'sub_1',
    customer: 'cus_1',
    status,
    items: { data: [{ price: { id: price, unit_amount: 4900, recurring: { interval: 'month', usage_type: 'licensed' } }, quantity: 1 }] },
    metadata: { organization_id: ORG },
    current_period_start: T0,
    current_period_end: T0 + 30 * 86_400,
  };
  return { id, type: `customer.subscription.${status === 'canceled' ? 'deleted' : 'updated'}`, created, payload: { data: { object } }, processedAt: null };
}

function setup() {
  const billing = new FakeBillingRepository();
  const evaluated: string[] = [];
  const audited: string[] = [];
  const entitlements = { evaluate: async (org: string) => void evaluated.push(org) } as unknown as EntitlementsService;
  const audit = { record: async (_actor: string, action: string) => void audited.push(action) } as unknown as AuditService;
  const config = { billing: { prices: { pro: 'price_pro', business: 'price_business' } } } as unknown as AppConfig;
  const service = new BillingEventsService(billing as unknown as BillingRepository, entitlements, audit, new FixedClock(new Date((T0 + 3_600) * 1000)), null, config);
  const deliver = async (event: StoredEvent) => {
    billing.events.set(event.id, event);
    return service.process(event.id);
  };
  return { service, billing, evaluated, audited, deliver };
}

describe('BillingEventsService.process', () => {
  it('stores a subscription under its organisation and plan, re-evaluates entitlements and audits the event', async () => {
    const { billing, evaluated, audited, deliver } = setup();
    expect(await deliver(subscriptionEvent('evt_1', T0, 'active'))).toBe('done');
    expect(billing.subscriptions.get('sub_1')).toMatchObject({ organizationId: ORG, planId: 'pro', status: 'active', pastDueSince: null });
    expect(billing.customers.get('cus_1')).toBe(ORG);
    expect(evaluated).toEqual([ORG]);
    expect(audited).toEqual(['billing.customer.subscription.updated']);
    expect(billing.events.get('evt_1')?.processedAt).not.toBeNull();
  });

  it('skips an event already processed (redelivery, job retry)', async () => {
    const { billing, service, evaluated, deliver } = setup();
    await deliver(subscriptionEvent('evt_1', T0, 'active'));
    expect(await service.process('evt_1')).toBe('skipped');
    expect(await service.process('evt_unknown')).toBe('skipped');
    expect(evaluated).toHaveLength(1);
    expect(billing.subscriptions.size).toBe(1);
  });

  it('keeps the newest state when events arrive out of order, and a cancellation wins over an update of the same second', async () => {
    const { billing, deliver } = setup();
    await deliver(subscriptionEvent('evt_2', T0 + 60, 'past_due', 'price_business'));
    await deliver(subscriptionEvent('evt_1', T0, 'active'));
    expect(billing.subscriptions.get('sub_1')).toMatchObject({ status: 'past_due', planId: 'business', pastDueSince: new Date((T0 + 60) * 1000) });
    await deliver(subscriptionEvent('evt_3', T0 + 120, 'canceled'));
    await deliver(subscriptionEvent('evt_4', T0 + 120, 'active'));
    expect(billing.subscriptions.get('sub_1')?.status).toBe('canceled');
  });

  it("keeps every state in the subscription's history, also one that arrives late, once per event time", async () => {
    const { billing, deliver } = setup();
    await deliver(subscriptionEvent('evt_2', T0 + 60, 'past_due'));
    await deliver(subscriptionEvent('evt_1', T0, 'active'));
    await deliver(subscriptionEvent('evt_3', T0 + 120, 'canceled'));
    const history = [...billing.changes].sort((a, b) => a.at.getTime() - b.at.getTime()).map((c) => c.status);
    expect(history).toEqual(['active', 'past_due', 'canceled']);
    expect(billing.subscriptions.get('sub_1')?.status).toBe('canceled');
  });

  it('keeps the first past-due time while the subscription stays past due', async () => {
    const { billing, deliver } = setup();
    await deliver(subscriptionEvent('evt_1', T0, 'past_due'));
    await deliver(subscriptionEvent('evt_2', T0 + 86_400, 'past_due'));
    expect(billing.subscriptions.get('sub_1')?.pastDueSince).toEqual(new Date(T0 * 1000));
  });

  it('records the error on the event and rethrows when applying it fails, so the job retries it', async () => {
    const { billing, service, deliver } = setup();
    billing.saveSubscriptionIfNewer = async () => {
      throw new Error('database busy');
    };
    await expect(deliver(subscriptionEvent('evt_1', T0, 'active'))).rejects.toThrow('database busy');
    expect(billing.events.get('evt_1')).toMatchObject({ processedAt: null, error: 'database busy' });
    billing.saveSubscriptionIfNewer = FakeBillingRepository.prototype.saveSubscriptionIfNewer.bind(billing);
    expect(await service.process('evt_1')).toBe('done');
  });

  it('ignores a subscription of no known organisation and event types it does not handle', async () => {
    const { billing, evaluated, audited, deliver } = setup();
    const orphan = subscriptionEvent('evt_1', T0, 'active');
    (orphan.payload as { data: { object: { metadata: object } } }).data.object.metadata = {};
    expect(await deliver(orphan)).toBe('done');
    expect(await deliver({ id: 'evt_2', type: 'customer.created', created: T0, payload: { data: { object: {} } }, processedAt: null })).toBe('done');
    expect(billing.subscriptions.size).toBe(0);
    expect(evaluated).toEqual([]);
    expect(audited).toEqual([]);
  });
});
