/**
 * Reads the fields billing needs from Stripe's JSON objects (webhook payloads are untyped JSON; the
 * API version decides where some fields live, so both the item-level and the older top-level places
 * are read). Pure.
 */
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const date = (v: unknown): Date | null => (num(v) === null ? null : new Date((v as number) * 1000));
/** An expandable reference: either the id string or the expanded object's id. */
export const refId = (v: unknown): string | null => str(v) ?? str(obj(v).id);

export interface SubscriptionFields {
  id: string;
  customerId: string;
  status: string;
  priceId: string | null;
  metadataPlanId: string | null;
  metadataOrganizationId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  amountCents: number;
}

function monthlyCents(price: Json, quantity: number): number {
  const unit = num(price.unit_amount) ?? 0;
  const recurring = obj(price.recurring);
  const every = num(recurring.interval_count) ?? 1;
  const perMonth: Record<string, number> = { month: 1 / every, year: 1 / (12 * every), week: 52 / 12 / every, day: 365 / 12 / every };
  if (recurring.usage_type === 'metered') return 0;
  return Math.round(unit * quantity * (perMonth[str(recurring.interval) ?? 'month'] ?? 1));
}

export function subscriptionFields(value: unknown): SubscriptionFields | null {
  const s = obj(value);
  const id = str(s.id);
  const customerId = refId(s.customer);
  const status = str(s.status);
  if (!id || !customerId || !status || s.object !== 'subscription') return null;
  const items = (Array.isArray(obj(s.items).data) ? (obj(s.items).data as unknown[]) : []).map(obj);
  const licensed = items.find((i) => obj(obj(i.price).recurring).usage_type !== 'metered') ?? items[0] ?? {};
  const metadata = obj(s.metadata);
  return {
    id,
    customerId,
    status,
    priceId: refId(licensed.price),
    metadataPlanId: str(metadata.plan_id),
    metadataOrganizationId: str(metadata.organization_id),
    currentPeriodStart: date(licensed.current_period_start ?? s.current_period_start),
    currentPeriodEnd: date(licensed.current_period_end ?? s.current_period_end),
    cancelAtPeriodEnd: s.cancel_at_period_end === true,
    canceledAt: date(s.canceled_at),
    amountCents: items.reduce((sum, i) => sum + monthlyCents(obj(i.price), num(i.quantity) ?? 1), 0),
  };
}

export interface InvoiceFields {
  id: string;
  customerId: string;
  subscriptionId: string | null;
  status: string;
  amountCents: number;
  currency: string;
  created: Date;
  /** Stripe's count of payment attempts, and when it retries next (null: no retry scheduled) */
  attemptCount: number;
  nextPaymentAttempt: Date | null;
}

export function invoiceFields(value: unknown): InvoiceFields | null {
  const i = obj(value);
  const id = str(i.id);
  const customerId = refId(i.customer);
  if (!id || !customerId || i.object !== 'invoice') return null;
  const parent = obj(obj(i.parent).subscription_details);
  return {
    id,
    customerId,
    subscriptionId: refId(parent.subscription) ?? refId(i.subscription),
    status: str(i.status) ?? 'open',
    amountCents: num(i.amount_paid) || num(i.amount_due) || 0,
    currency: str(i.currency) ?? 'usd',
    created: date(i.created) ?? new Date(0),
    attemptCount: num(i.attempt_count) ?? 0,
    nextPaymentAttempt: date(i.next_payment_attempt),
  };
}

export interface CheckoutFields {
  id: string;
  customerId: string | null;
  subscriptionId: string | null;
  organizationId: string | null;
}

export function checkoutFields(value: unknown): CheckoutFields | null {
  const c = obj(value);
  const id = str(c.id);
  if (!id || c.object !== 'checkout.session') return null;
  return { id, customerId: refId(c.customer), subscriptionId: refId(c.subscription), organizationId: str(c.client_reference_id) ?? str(obj(c.metadata).organization_id) };
}
