import { checkoutFields, invoiceFields, subscriptionFields } from './stripe-objects.js';

describe('Stripe object fields', () => {
  const subscription = {
    id: 'sub_1',
    object: 'subscription',
    customer: { id: 'cus_1', object: 'customer' },
    status: 'active',
    cancel_at_period_end: true,
    canceled_at: null,
    metadata: { organization_id: 'org-1', plan_id: 'pro' },
    items: {
      data: [
        { price: { id: 'price_meter', unit_amount: 1, recurring: { interval: 'month', usage_type: 'metered' } } },
        { quantity: 2, current_period_start: 1_700_000_000, current_period_end: 1_702_592_000, price: { id: 'price_year', unit_amount: 120_000, recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed' } } },
      ],
    },
  };

  it('reads a subscription: licensed price, item-level period, monthly amount, expanded customer', () => {
    expect(subscriptionFields(subscription)).toEqual({
      id: 'sub_1',
      customerId: 'cus_1',
      status: 'active',
      priceId: 'price_year',
      metadataPlanId: 'pro',
      metadataOrganizationId: 'org-1',
      currentPeriodStart: new Date(1_700_000_000_000),
      currentPeriodEnd: new Date(1_702_592_000_000),
      cancelAtPeriodEnd: true,
      canceledAt: null,
      amountCents: 20_000,
    });
  });

  it('rejects objects of another kind or without ids', () => {
    expect(subscriptionFields({ ...subscription, object: 'invoice' })).toBeNull();
    expect(subscriptionFields({ object: 'subscription' })).toBeNull();
    expect(invoiceFields(subscription)).toBeNull();
    expect(checkoutFields(null)).toBeNull();
  });

  it('reads invoices from the new parent field and the older top-level one', () => {
    const base = { id: 'in_1', object: 'invoice', customer: 'cus_1', status: 'paid', amount_paid: 4_900, amount_due: 4_900, currency: 'eur', created: 1_700_000_000 };
    expect(invoiceFields({ ...base, parent: { subscription_details: { subscription: 'sub_9' } } })?.subscriptionId).toBe('sub_9');
    expect(invoiceFields({ ...base, subscription: 'sub_8' })).toEqual({
      id: 'in_1',
      customerId: 'cus_1',
      subscriptionId: 'sub_8',
      status: 'paid',
      amountCents: 4_900,
      currency: 'eur',
      created: new Date(1_700_000_000_000),
      // no failed attempt yet: Stripe leaves the retry fields out of a paid invoice
      attemptCount: 0,
      nextPaymentAttempt: null,
    });
    // a failed renewal: the attempts so far and Stripe's next retry (the console shows both)
    expect(invoiceFields({ ...base, status: 'open', amount_paid: 0, subscription: 'sub_8', attempt_count: 2, next_payment_attempt: 1_700_086_400 })).toEqual(
      expect.objectContaining({ status: 'open', attemptCount: 2, nextPaymentAttempt: new Date(1_700_086_400_000) }),
    );
  });

  it('reads the organisation of a checkout session', () => {
    expect(checkoutFields({ id: 'cs_1', object: 'checkout.session', customer: 'cus_1', subscription: 'sub_1', client_reference_id: 'org-1' })).toEqual({
      id: 'cs_1',
      customerId: 'cus_1',
      subscriptionId: 'sub_1',
      organizationId: 'org-1',
    });
  });
});
