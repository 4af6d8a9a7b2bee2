import { type Entitlement, FREE_PLAN_ID } from '../subscription-state.js';

/** A plan given free of charge from `startsAt` (inclusive) to `endsAt` (exclusive). */
export interface CompPeriod {
  planId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The entitlement once comps are counted (pure; docs/operators.md "Comps"): a comp running at `now`
 * grants its plan when it ranks above what the subscriptions grant; the answer is looked at again when
 * a running comp ends or a later one starts, so an expired comp falls back to the subscriptions by itself.
 */
export function withComps(base: Entitlement, comps: readonly CompPeriod[], now: Date, rank: (planId: string) => number): Entitlement {
  const t = now.getTime();
  let result = base;
  let recheck = base.recheckAt;
  const sooner = (at: Date): void => {
    if (!recheck || at < recheck) recheck = at;
  };
  for (const comp of comps) {
    if (comp.endsAt.getTime() <= t) continue;
    if (comp.startsAt.getTime() > t) {
      sooner(comp.startsAt);
      continue;
    }
    sooner(comp.endsAt);
    if (comp.planId !== FREE_PLAN_ID && (result.planId === FREE_PLAN_ID || rank(comp.planId) > rank(result.planId))) {
      result = { planId: comp.planId, recheckAt: null, reason: `comp until ${comp.endsAt.toISOString()}` };
    }
  }
  return { ...result, recheckAt: recheck };
}
