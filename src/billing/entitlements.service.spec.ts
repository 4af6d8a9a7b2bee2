import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import type { QueueService } from '../infra/queue/queue.service.js';
import type { LookupPlansService } from '../lookup/plans/lookup-plans.service.js';
import type { BillingRepository } from './billing.repository.js';
import type { CompPeriod } from './comps/comp-entitlement.js';
import type { PlanCompsRepository } from './comps/plan-comps.repository.js';
import { EntitlementsService } from './entitlements.service.js';
import type { SubscriptionState } from './subscription-state.js';

const ORG = '00000000-0000-4000-8000-00000000000a';
const NOW = new Date('2026-12-07T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW.getTime() + ms);

function subscription(id: string, status: string, planId: string, fields: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    id,
    organizationId: ORG,
    customerId: 'cus_1',
    status,
    planId,
    priceId: `price_${planId}`,
    currentPeriodStart: at(-10 * DAY),
    currentPeriodEnd: at(20 * DAY),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pastDueSince: null,
    amountCents: 4900,
    stateAt: 0n,
    ...fields,
  };
}

/** Subscriptions and comps in memory, the lookup plans (ordered cheapest first) and each organisation's plan. */
function setup(planOrder = ['free', 'pro', 'business']) {
  const clock = new FixedClock(NOW);
  const subscriptions: SubscriptionState[] = [];
  const comps: Array<CompPeriod & { organizationId: string }> = [];
  const billing = { subscriptionsOf: async (org: string) => subscriptions.filter((s) => s.organizationId === org) } as unknown as BillingRepository;
  const compsRepository = { openOf: async (org: string, now: Date) => comps.filter((c) => c.organizationId === org && c.endsAt > now) } as unknown as PlanCompsRepository;
  const planOf = new Map<string, string>();
  const changes: Array<[string, string, string]> = [];
  const plans = {
    list: async () => planOrder.map((id) => ({ id })),
    planIdOf: async (org: string) => planOf.get(org) ?? 'free',
    setOrganizationPlan: async (org: string, planId: string, actor: string) => {
      planOf.set(org, planId);
      changes.push([org, planId, actor]);
    },
  } as unknown as LookupPlansService;
  const queued: Array<{ data: object; id: string | undefined; delay: number | undefined }> = [];
  const queue = { enqueue: async (_name: string, data: object, id?: string, extra: { delay?: number } = {}) => void queued.push({ data, id, delay: extra.delay }) } as unknown as QueueService;
  const config = { billing: { graceHours: 72 } } as unknown as AppConfig;
  const service = new EntitlementsService(billing, compsRepository, plans, queue, clock, config);
  return { service, clock, subscriptions, comps, planOf, changes, queued };
}

describe('EntitlementsService.evaluate', () => {
  it("applies the subscription's plan once, in the name of billing, and changes nothing when evaluated again", async () => {
    const { service, subscriptions, changes, queued } = setup();
    subscriptions.push(subscription('sub_1', 'active', 'pro'));
    expect(await service.evaluate(ORG)).toEqual({ planId: 'pro', recheckAt: null, reason: 'active' });
    await service.evaluate(ORG);
    expect(changes).toEqual([[ORG, 'pro', 'billing:active']]);
    expect(queued).toEqual([]);
  });

  it('keeps the plan through the grace period of a failed payment, with a re-check queued a second after it ends, then falls back to free', async () => {
    const { service, clock, subscriptions, changes, queued } = setup();
    subscriptions.push(subscription('sub_1', 'past_due', 'pro', { pastDueSince: at(-HOUR) }));
    const graceEnd = at(71 * HOUR);
    expect(await service.evaluate(ORG)).toEqual({ planId: 'pro', recheckAt: graceEnd, reason: 'past due, in grace period' });
    expect(queued).toEqual([{ data: { recheck: ORG }, id: `stripe-event-recheck-${ORG}-${graceEnd.getTime()}`, delay: 71 * HOUR + 1_000 }]);
    clock.set(graceEnd);
    expect((await service.evaluate(ORG)).planId).toBe('free');
    expect(changes).toEqual([
      [ORG, 'pro', 'billing:past due, in grace period'],
      [ORG, 'free', 'billing:past due, grace period over'],
    ]);
    expect(queued).toHaveLength(1);
  });

  it('ranks plans by the order of the plan list when two subscriptions grant one', async () => {
    const cheapestFirst = setup(['free', 'pro', 'business']);
    cheapestFirst.subscriptions.push(subscription('sub_1', 'active', 'business'), subscription('sub_2', 'trialing', 'pro'));
    expect((await cheapestFirst.service.evaluate(ORG)).planId).toBe('business');
    const reordered = setup(['free', 'business', 'pro']);
    reordered.subscriptions.push(subscription('sub_1', 'active', 'business'), subscription('sub_2', 'trialing', 'pro'));
    expect((await reordered.service.evaluate(ORG)).planId).toBe('pro');
  });

  it('grants a running comp above the subscription until it ends, re-checks then, and returns to the subscription afterwards', async () => {
    const { service, clock, subscriptions, comps, changes, queued } = setup();
    subscriptions.push(subscription('sub_1', 'active', 'pro'));
    comps.push({ organizationId: ORG, planId: 'business', startsAt: at(-DAY), endsAt: at(2 * DAY) });
    expect(await service.evaluate(ORG)).toEqual({ planId: 'business', recheckAt: at(2 * DAY), reason: `comp until ${at(2 * DAY).toISOString()}` });
    expect(queued.map((q) => q.delay)).toEqual([2 * DAY + 1_000]);
    clock.set(at(2 * DAY));
    expect((await service.evaluate(ORG)).planId).toBe('pro');
    expect(changes.map(([, plan]) => plan)).toEqual(['business', 'pro']);
  });

  it("queues a re-check for a comp that starts later without granting it yet, and never changes another organisation's plan", async () => {
    const { service, comps, planOf, queued } = setup();
    planOf.set('00000000-0000-4000-8000-00000000000b', 'business');
    comps.push({ organizationId: ORG, planId: 'pro', startsAt: at(3 * HOUR), endsAt: at(DAY) });
    expect(await service.evaluate(ORG)).toEqual({ planId: 'free', recheckAt: at(3 * HOUR), reason: 'no subscription' });
    expect(queued.map((q) => q.delay)).toEqual([3 * HOUR + 1_000]);
    expect(planOf.get('00000000-0000-4000-8000-00000000000b')).toBe('business');
  });
});
