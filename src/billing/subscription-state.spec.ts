import { entitlementOf, isNewer, organizationEntitlement, pastDueSince, stateOrder, type SubscriptionState } from './subscription-state.js';

const HOUR = 3_600_000;
const now = new Date('2026-11-25T12:00:00Z');

function sub(over: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    id: 'sub_1',
    organizationId: 'org',
    customerId: 'cus_1',
    status: 'active',
    planId: 'pro',
    priceId: 'price_pro',
    currentPeriodStart: new Date('2026-11-01T00:00:00Z'),
    currentPeriodEnd: new Date('2026-12-01T00:00:00Z'),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pastDueSince: null,
    amountCents: 4900,
    stateAt: stateOrder(1_000, 'active'),
    ...over,
  };
}

describe('subscription ordering', () => {
  it('keeps the newest state by Stripe time, not by arrival', () => {
    const newer = { stateAt: stateOrder(2_000, 'active') };
    const older = { stateAt: stateOrder(1_000, 'past_due') };
    expect(isNewer(older, newer)).toBe(false);
    expect(isNewer(newer, older)).toBe(true);
    expect(isNewer(newer, null)).toBe(true);
  });
  it('lets a cancellation win a tie within the same second', () => {
    expect(isNewer({ stateAt: stateOrder(5, 'active') }, { stateAt: stateOrder(5, 'canceled') })).toBe(false);
    expect(isNewer({ stateAt: stateOrder(5, 'canceled') }, { stateAt: stateOrder(5, 'active') })).toBe(true);
  });
});

describe('entitlements', () => {
  it('grants the plan while active', () => {
    expect(entitlementOf(sub(), now, 72 * HOUR)).toEqual({ planId: 'pro', recheckAt: null, reason: 'active' });
  });
  it('keeps the plan through the past_due grace period, then falls back to free', () => {
    const since = new Date(now.getTime() - 10 * HOUR);
    const inGrace = entitlementOf(sub({ status: 'past_due', pastDueSince: since }), now, 72 * HOUR);
    expect(inGrace.planId).toBe('pro');
    expect(inGrace.recheckAt).toEqual(new Date(since.getTime() + 72 * HOUR));
    expect(entitlementOf(sub({ status: 'past_due', pastDueSince: since }), now, 5 * HOUR).planId).toBe('free');
  });
  it('keeps a cancelled-at-period-end plan until the period ends', () => {
    const s = sub({ cancelAtPeriodEnd: true });
    expect(entitlementOf(s, now, 0)).toMatchObject({ planId: 'pro', recheckAt: s.currentPeriodEnd });
    expect(entitlementOf(s, new Date('2026-12-01T00:00:01Z'), 0).planId).toBe('free');
  });
  it('falls back to free on cancellation and unknown states', () => {
    expect(entitlementOf(sub({ status: 'canceled' }), now, 0).planId).toBe('free');
    expect(entitlementOf(sub({ status: 'incomplete' }), now, 0).planId).toBe('free');
  });
  it('tracks since when a subscription is past due', () => {
    const at = new Date('2026-11-20T00:00:00Z');
    expect(pastDueSince('past_due', null, now)).toEqual(now);
    expect(pastDueSince('past_due', { status: 'past_due', pastDueSince: at }, now)).toEqual(at);
    expect(pastDueSince('active', { status: 'past_due', pastDueSince: at }, now)).toBeNull();
  });
  it('picks the best plan across subscriptions and the earliest recheck', () => {
    const rank = (id: string): number => ['free', 'pro', 'business'].indexOf(id);
    const since = new Date(now.getTime() - HOUR);
    const result = organizationEntitlement(
      [sub({ planId: 'pro' }), sub({ id: 'sub_2', planId: 'business', status: 'past_due', pastDueSince: since })],
      now,
      2 * HOUR,
      rank,
    );
    expect(result.planId).toBe('business');
    expect(result.recheckAt).toEqual(new Date(since.getTime() + 2 * HOUR));
    expect(organizationEntitlement([], now, 0, rank).planId).toBe('free');
  });
  it('says why no plan is granted: the first subscription\'s reason, or no subscription when there is none', () => {
    const rank = (id: string): number => ['free', 'pro', 'business'].indexOf(id);
    const lapsed = sub({ planId: 'business', status: 'past_due', pastDueSince: new Date(now.getTime() - 3 * HOUR) });
    expect(organizationEntitlement([lapsed, sub({ id: 'sub_0', status: 'canceled' })], now, 2 * HOUR, rank)).toEqual({ planId: 'free', recheckAt: null, reason: 'past due, grace period over' });
    expect(organizationEntitlement([lapsed, sub({ id: 'sub_2', planId: 'pro' })], now, 2 * HOUR, rank)).toEqual({ planId: 'pro', recheckAt: null, reason: 'active' });
    expect(organizationEntitlement([], now, 2 * HOUR, rank)).toEqual({ planId: 'free', recheckAt: null, reason: 'no subscription' });
  });
});
