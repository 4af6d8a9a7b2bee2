/**
 * Pure billing rules: how a Stripe subscription maps to a plan, which of two states of a subscription
 * is newer, and when an entitlement must be looked at again. No I/O; `now` is a parameter.
 */
export const FREE_PLAN_ID = 'free';

export interface SubscriptionState {
  id: string;
  organizationId: string;
  customerId: string;
  status: string;
  planId: string;
  priceId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  pastDueSince: Date | null;
  /** monthly recurring amount in cents (yearly prices divided by 12) */
  amountCents: number;
  /** ordering key: Stripe's event time (seconds) × 10 + a rank that lets a terminal state win a tie */
  stateAt: bigint;
}

const TERMINAL = new Set(['canceled', 'incomplete_expired']);

/** Stripe's `created` (seconds) of the event that carried the state, with terminal states ranked last. */
export function stateOrder(eventCreatedSeconds: number, status: string): bigint {
  return BigInt(Math.floor(eventCreatedSeconds)) * 10n + (TERMINAL.has(status) ? 9n : 0n);
}

/** True when `incoming` must replace `stored` (same order replaces too, so reprocessing is harmless). */
export function isNewer(incoming: Pick<SubscriptionState, 'stateAt'>, stored: Pick<SubscriptionState, 'stateAt'> | null): boolean {
  return stored === null || incoming.stateAt >= stored.stateAt;
}

/** `pastDueSince` carried over while the subscription stays past_due; set when it becomes so. */
export function pastDueSince(status: string, previous: Pick<SubscriptionState, 'status' | 'pastDueSince'> | null, at: Date): Date | null {
  if (status !== 'past_due') return null;
  if (previous?.status === 'past_due' && previous.pastDueSince) return previous.pastDueSince;
  return at;
}

export interface Entitlement {
  planId: string;
  /** when the answer may change without a new event (grace expiry, period end), else null */
  recheckAt: Date | null;
  reason: string;
}

/** The plan one subscription grants at `now`. */
export function entitlementOf(sub: SubscriptionState, now: Date, graceMs: number): Entitlement {
  const periodEnd = sub.currentPeriodEnd;
  switch (sub.status) {
    case 'active':
    case 'trialing':
      if (sub.cancelAtPeriodEnd && periodEnd) {
        return periodEnd.getTime() > now.getTime()
          ? { planId: sub.planId, recheckAt: periodEnd, reason: 'cancels at period end' }
          : { planId: FREE_PLAN_ID, recheckAt: null, reason: 'cancelled, period ended' };
      }
      return { planId: sub.planId, recheckAt: null, reason: sub.status };
    case 'past_due': {
      const until = new Date((sub.pastDueSince ?? now).getTime() + graceMs);
      return until.getTime() > now.getTime()
        ? { planId: sub.planId, recheckAt: until, reason: 'past due, in grace period' }
        : { planId: FREE_PLAN_ID, recheckAt: null, reason: 'past due, grace period over' };
    }
    default:
      return { planId: FREE_PLAN_ID, recheckAt: null, reason: sub.status };
  }
}

/**
 * The organisation's plan from all its subscriptions: the paid plan of the most recently started
 * subscription that still grants one, else free. `rank` orders plans when two grant at once. When none
 * grants a plan, the reason is the first subscription's (newest first: why the plan was lost, e.g. the
 * grace period ended), and `no subscription` only when there is none.
 */
export function organizationEntitlement(subs: readonly SubscriptionState[], now: Date, graceMs: number, rank: (planId: string) => number): Entitlement {
  let best: Entitlement | null = null;
  let recheck: Date | null = null;
  for (const sub of subs) {
    const e = entitlementOf(sub, now, graceMs);
    if (e.recheckAt && (!recheck || e.recheckAt < recheck)) recheck = e.recheckAt;
    if (!best || (e.planId !== FREE_PLAN_ID && (best.planId === FREE_PLAN_ID || rank(e.planId) > rank(best.planId)))) best = e;
  }
  return { ...(best ?? { planId: FREE_PLAN_ID, reason: 'no subscription' }), recheckAt: recheck };
}
