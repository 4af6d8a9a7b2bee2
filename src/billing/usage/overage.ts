/** Pure metering rules: billing periods, overage increments and their idempotency identifiers. */

/** Billing periods for metering are UTC calendar months. */
export function periodOf(now: Date): { start: Date; end: Date; label: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end, label: start.toISOString().slice(0, 7) };
}

/** Lookups still to report: overage so far (beyond the included volume) minus what is already recorded. */
export function overageIncrement(counted: bigint, included: bigint, recorded: bigint): bigint {
  const overage = counted > included ? counted - included : 0n;
  return overage > recorded ? overage - recorded : 0n;
}

/**
 * The identifier of the increment that starts at `offset` lookups into the period's overage. The same
 * increment always gets the same identifier, so a retried report is deduplicated by Stripe.
 */
export function reportIdentifier(organizationId: string, periodLabel: string, offset: bigint): string {
  return `quorum-${organizationId}-${periodLabel}-${offset.toString()}`;
}
