import type Stripe from 'stripe';
import type { OrganizationsService } from '../agents/organizations.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import type { QueueService } from '../infra/queue/queue.service.js';
import { BillingService } from './billing.service.js';
import type { BillingRepository } from './billing.repository.js';
import type { SubscriptionState } from './subscription-state.js';

const ORG = '00000000-0000-4000-8000-00000000000a';

/** The billing tables BillingService reads and writes, in memory. */
class FakeBillingRepository {
  readonly customers = new Map<string, string>(); // organisation -> customer
  readonly subscriptions: SubscriptionState[] = [];
  readonly events = new Map<string, { id: string; type: string; created: number }>();
  async customerOf(organizationId: string) {
    return this.customers.get(organizationId) ?? null;
  }
  async linkCustomer(organizationId: string, customerId: string) {
    if (!this.customers.has(organizationId)) this.customers.set(organizationId, customerId);
  }
  async subscriptionsOf(organizationId: string) {
    return this.subscriptions.filter((s) => s.organizationId === organizationId);
  }
  async storeEvent(event: { id: string; type: string; created: number }) {
    if (this.events.has(event.id)) return false;
    this.events.set(event.id, event);
    return true;
  }
}

interface Session {
  id: string;
  created: number;
  customer: string;
  status: 'open' | 'expired' | 'complete';
  url: string | null;
  params?: Stripe.Checkout.SessionCreateParams;
}

/** The part of Stripe's API the service calls, kept in memory. */
class FakeStripe {
  readonly createdCustomers: Array<{ params: Stripe.CustomerCreateParams; idempotencyKey?: string }> = [];
  readonly sessions: Session[] = [];
  readonly updates: Array<{ id: string; params: Stripe.SubscriptionUpdateParams; idempotencyKey?: string }> = [];
  readonly subscriptionItems = new Map<string, Array<{ id: string; price: { id: string; recurring: { usage_type: string } | null } }>>();
  /** sessions another request creates right after this one's (a concurrent checkout) */
  raceWith: Session | null = null;
  sessionUrl: string | null = 'https://checkout.stripe.test/s';
  expireError: { type: string; message: string } | null = null;
  signatureError: Error | null = null;
  private clock = 1_796_000_000;

  customers = {
    create: async (params: Stripe.CustomerCreateParams, options?: { idempotencyKey?: string }) => {
      this.createdCustomers.push({ params, idempotencyKey: options?.idempotencyKey });
      return { id: `cus_${this.createdCustomers.length}` };
    },
  };
  checkout = {
    sessions: {
      list: async ({ customer, status }: { customer: string; status: string }) => ({ data: this.sessions.filter((s) => s.customer === customer && s.status === status) }),
      expire: async (id: string) => {
        if (this.expireError) throw Object.assign(new Error(this.expireError.message), { type: this.expireError.type });
        this.sessions.find((s) => s.id === id)!.status = 'expired';
      },
      create: async (params: Stripe.Checkout.SessionCreateParams) => {
        const session: Session = { id: `cs_${this.sessions.length + 1}`, created: ++this.clock, customer: params.customer!, status: 'open', url: this.sessionUrl, params };
        this.sessions.push(session);
        if (this.raceWith) this.sessions.push({ ...this.raceWith, customer: session.customer, created: ++this.clock });
        return session;
      },
    },
  };
  readonly portalSessions: Array<{ customer: string; return_url: string }> = [];
  billingPortal = {
    sessions: {
      create: async (params: { customer: string; return_url: string }) => {
        this.portalSessions.push(params);
        return { id: `bps_${this.portalSessions.length}`, url: `https://portal.stripe.test/${params.customer}` };
      },
    },
  };
  subscriptions = {
    retrieve: async (id: string) => ({ id, items: { data: this.subscriptionItems.get(id) ?? [] } }),
    update: async (id: string, params: Stripe.SubscriptionUpdateParams, options?: { idempotencyKey?: string }) => {
      this.updates.push({ id, params, idempotencyKey: options?.idempotencyKey });
      return { id, status: 'active' };
    },
  };
  webhooks = {
    constructEvent: (body: Buffer, signature: string, secret: string, tolerance: number) => {
      if (this.signatureError) throw this.signatureError;
      return { ...(JSON.parse(body.toString()) as object), verifiedWith: { signature, secret, tolerance } };
    },
  };
}

function subscription(id: string, status: string, planId: string): SubscriptionState {
  return {
    id,
    organizationId: ORG,
    customerId: 'cus_1',
    status,
    planId,
    priceId: `price_${planId}`,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pastDueSince: null,
    amountCents: 4900,
    stateAt: 0n,
  };
}

interface Options {
  stripe?: boolean;
  overage?: boolean;
  webhookSecret?: string;
  erased?: boolean;
}

function setup(options: Options = {}) {
  const billing = new FakeBillingRepository();
  const stripe = new FakeStripe();
  const audited: Array<[string, string, string | null, unknown]> = [];
  const enqueued: Array<[string, object, string | undefined]> = [];
  const organizations = {
    findById: async (id: string) => (id === ORG ? { id, name: 'Acme', erasedAt: options.erased ? new Date() : null } : null),
  } as unknown as OrganizationsService;
  const queue = { enqueue: async (name: string, data: object, id?: string) => void enqueued.push([name, data, id]) } as unknown as QueueService;
  const audit = { record: async (actor: string, action: string, target: string | null, details: unknown) => void audited.push([actor, action, target, details]) } as unknown as AuditService;
  const prices: Record<string, string> = { pro: 'price_pro', business: 'price_business', ...(options.overage ? { overage: 'price_overage' } : {}) };
  const config = {
    http: { publicUrl: 'https://quorum.test/', port: 3000 },
    billing: { prices, webhookSecret: options.webhookSecret, webhookToleranceSeconds: 300 },
  } as unknown as AppConfig;
  const client = options.stripe === false ? null : (stripe as unknown as Stripe);
  const service = new BillingService(billing as unknown as BillingRepository, organizations, queue, audit, client, config);
  return { service, billing, stripe, audited, enqueued };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as DomainError;
    return { code, message };
  }
  throw new Error('expected a DomainError');
}

describe('BillingService.checkout', () => {
  it('creates the customer once under the organisation, opens a subscription session for the plan and audits it', async () => {
    const { service, billing, stripe, audited } = setup();
    const session = await service.checkout(ORG, 'pro', {}, 'operator:ops');
    expect(session).toEqual({ id: 'cs_1', url: 'https://checkout.stripe.test/s' });
    expect(stripe.createdCustomers).toEqual([{ params: { name: 'Acme', metadata: { organization_id: ORG } }, idempotencyKey: `quorum-customer-${ORG}` }]);
    expect(billing.customers.get(ORG)).toBe('cus_1');
    expect(stripe.sessions[0].params).toMatchObject({
      mode: 'subscription',
      customer: 'cus_1',
      client_reference_id: ORG,
      line_items: [{ price: 'price_pro', quantity: 1 }],
      subscription_data: { metadata: { organization_id: ORG, plan_id: 'pro' } },
      success_url: 'https://quorum.test/admin/#/billing/success',
      cancel_url: 'https://quorum.test/admin/#/billing/cancelled',
    });
    expect(audited).toEqual([['operator:ops', 'billing.checkout_started', `organization:${ORG}`, { plan: 'pro', session: 'cs_1' }]]);
    await service.checkout(ORG, 'business', {}, 'operator:ops');
    expect(stripe.createdCustomers).toHaveLength(1);
  });

  it('sends members back to the portal, honours given URLs and adds the metered overage price when configured', async () => {
    const { service, stripe } = setup({ overage: true });
    await service.checkout(ORG, 'pro', {}, 'member:m1');
    expect(stripe.sessions[0].params).toMatchObject({ success_url: 'https://quorum.test/app/#/billing/success', cancel_url: 'https://quorum.test/app/#/billing/cancelled' });
    expect(stripe.sessions[0].params?.line_items).toEqual([{ price: 'price_pro', quantity: 1 }, { price: 'price_overage' }]);
    await service.checkout(ORG, 'pro', { success: 'https://shop.test/ok', cancel: 'https://shop.test/no' }, 'member:m1');
    expect(stripe.sessions[1].params).toMatchObject({ success_url: 'https://shop.test/ok', cancel_url: 'https://shop.test/no' });
  });

  it('refuses a plan without a Stripe price, an unconfigured Stripe and an unknown or erased organisation', async () => {
    expect(await failure(setup().service.checkout(ORG, 'gold', {}, 'operator:ops'))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('"gold"') });
    expect(await failure(setup({ stripe: false }).service.checkout(ORG, 'pro', {}, 'operator:ops'))).toMatchObject({ code: 'service_unavailable' });
    expect(await failure(setup().service.checkout('00000000-0000-4000-8000-0000000000ff', 'pro', {}, 'operator:ops'))).toMatchObject({ code: 'not_found' });
    const erased = setup({ erased: true });
    expect(await failure(erased.service.checkout(ORG, 'pro', {}, 'operator:ops'))).toMatchObject({ code: 'not_found' });
    expect(erased.stripe.createdCustomers).toEqual([]);
  });

  it.each(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused'])('refuses a second subscription while one is %s', async (status) => {
    const { service, billing, stripe } = setup();
    billing.subscriptions.push(subscription('sub_1', status, 'pro'));
    expect(await failure(service.checkout(ORG, 'business', {}, 'operator:ops'))).toEqual({
      code: 'subscription_active',
      message: `This organisation already has a ${status} subscription (plan pro): change its plan with POST /v1/billing/plan-change`,
    });
    expect(stripe.sessions).toEqual([]);
  });

  it('starts a new subscription when the earlier ones are over', async () => {
    const { service, billing } = setup();
    billing.subscriptions.push(subscription('sub_1', 'canceled', 'pro'), subscription('sub_2', 'incomplete_expired', 'pro'));
    expect((await service.checkout(ORG, 'pro', {}, 'operator:ops')).id).toBe('cs_1');
  });

  it('expires earlier open sessions of the customer so only the newest can be paid', async () => {
    const { service, stripe } = setup();
    await service.checkout(ORG, 'pro', {}, 'operator:ops');
    await service.checkout(ORG, 'business', {}, 'operator:ops');
    expect(stripe.sessions.map((s) => `${s.id} ${s.status}`)).toEqual(['cs_1 expired', 'cs_2 open']);
  });

  it('answers checkout_in_progress when a concurrent checkout made a newer session, and leaves that one open', async () => {
    const { service, stripe, audited } = setup();
    stripe.raceWith = { id: 'cs_other', created: 0, customer: '', status: 'open', url: 'https://checkout.stripe.test/other' };
    expect(await failure(service.checkout(ORG, 'pro', {}, 'operator:ops'))).toMatchObject({ code: 'checkout_in_progress' });
    expect(stripe.sessions.map((s) => `${s.id} ${s.status}`)).toEqual(['cs_1 expired', 'cs_other open']);
    expect(audited).toEqual([]);
  });

  it('answers service_unavailable when Stripe returns a session without a URL', async () => {
    const { service, stripe } = setup();
    stripe.sessionUrl = null;
    expect(await failure(service.checkout(ORG, 'pro', {}, 'operator:ops'))).toMatchObject({ code: 'service_unavailable' });
  });

  it('ignores a session Stripe will not expire any more (completed meanwhile) but not other Stripe failures', async () => {
    const gone = setup();
    await gone.service.checkout(ORG, 'pro', {}, 'operator:ops');
    gone.stripe.expireError = { type: 'StripeInvalidRequestError', message: 'session is complete' };
    expect((await gone.service.checkout(ORG, 'pro', {}, 'operator:ops')).id).toBe('cs_2');
    const down = setup();
    await down.service.checkout(ORG, 'pro', {}, 'operator:ops');
    down.stripe.expireError = { type: 'StripeConnectionError', message: 'network down' };
    await expect(down.service.checkout(ORG, 'pro', {}, 'operator:ops')).rejects.toThrow('network down');
  });
});

describe('BillingService.changePlan', () => {
  function withLive(planId = 'pro') {
    const context = setup({ overage: true });
    context.billing.subscriptions.push(subscription('sub_old', 'canceled', 'business'), subscription('sub_1', 'active', planId));
    context.stripe.subscriptionItems.set('sub_1', [
      { id: 'si_metered', price: { id: 'price_overage', recurring: { usage_type: 'metered' } } },
      { id: 'si_licensed', price: { id: `price_${planId}`, recurring: { usage_type: 'licensed' } } },
    ]);
    return context;
  }

  it('replaces the licensed price on the live subscription, prorated and invoiced at once, once per retried request', async () => {
    const { service, stripe, audited } = withLive();
    expect(await service.changePlan(ORG, 'business', 'member:m1')).toEqual({ subscriptionId: 'sub_1', fromPlanId: 'pro', planId: 'business', status: 'active' });
    expect(stripe.updates).toEqual([
      {
        id: 'sub_1',
        params: { items: [{ id: 'si_licensed', price: 'price_business' }], proration_behavior: 'always_invoice', metadata: { organization_id: ORG, plan_id: 'business' } },
        idempotencyKey: 'quorum-plan-change-sub_1-price_pro-price_business',
      },
    ]);
    expect(audited).toEqual([['member:m1', 'billing.plan_change_requested', `organization:${ORG}`, { subscription: 'sub_1', from: 'pro', to: 'business' }]]);
  });

  it('refuses the overage price and unknown plans, a missing live subscription and the current plan', async () => {
    const { service, stripe } = withLive();
    expect(await failure(service.changePlan(ORG, 'overage', 'member:m1'))).toMatchObject({ code: 'bad_request' });
    expect(await failure(service.changePlan(ORG, 'gold', 'member:m1'))).toMatchObject({ code: 'bad_request' });
    expect(await failure(service.changePlan(ORG, 'pro', 'member:m1'))).toMatchObject({ code: 'plan_unchanged' });
    expect(await failure(setup({ overage: true }).service.changePlan(ORG, 'pro', 'member:m1'))).toMatchObject({ code: 'no_subscription' });
    expect(stripe.updates).toEqual([]);
  });

  it('answers service_unavailable when the Stripe subscription has only metered items', async () => {
    const { service, stripe } = withLive();
    stripe.subscriptionItems.set('sub_1', [{ id: 'si_metered', price: { id: 'price_overage', recurring: { usage_type: 'metered' } } }]);
    expect(await failure(service.changePlan(ORG, 'business', 'member:m1'))).toMatchObject({ code: 'service_unavailable', message: expect.stringContaining('sub_1') });
  });
});

describe('BillingService.portal', () => {
  it('opens the billing portal of a known customer with a return URL by kind of user, and audits it', async () => {
    const { service, billing, stripe, audited } = setup();
    billing.customers.set(ORG, 'cus_9');
    expect(await service.portal(ORG, undefined, 'member:m1')).toEqual({ id: 'bps_1', url: 'https://portal.stripe.test/cus_9' });
    await service.portal(ORG, undefined, 'operator:ops');
    await service.portal(ORG, 'https://back.test/', 'operator:ops');
    expect(stripe.portalSessions).toEqual([
      { customer: 'cus_9', return_url: 'https://quorum.test/app/#/billing' },
      { customer: 'cus_9', return_url: 'https://quorum.test/admin/' },
      { customer: 'cus_9', return_url: 'https://back.test/' },
    ]);
    expect(audited.map(([, action, , details]) => [action, details])).toEqual([
      ['billing.portal_opened', { session: 'bps_1' }],
      ['billing.portal_opened', { session: 'bps_2' }],
      ['billing.portal_opened', { session: 'bps_3' }],
    ]);
  });

  it('answers not_found before any checkout made a customer', async () => {
    expect(await failure(setup().service.portal(ORG, undefined, 'member:m1'))).toMatchObject({ code: 'not_found' });
  });
});

describe('BillingService.receiveWebhook', () => {
  const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'invoice.paid', created: 1_796_000_000 }));

  it('verifies the signature with the configured secret and tolerance, stores the event and queues it under its id', async () => {
    const { service, billing, enqueued } = setup({ webhookSecret: 'whsec_1' });
    expect(await service.receiveWebhook(body, 't=1,v1=abc')).toEqual({ duplicate: false });
    expect(billing.events.get('evt_1')).toMatchObject({ id: 'evt_1', type: 'invoice.paid', created: 1_796_000_000, payload: { verifiedWith: { signature: 't=1,v1=abc', secret: 'whsec_1', tolerance: 300 } } });
    expect(enqueued).toEqual([['stripe-event', { eventId: 'evt_1' }, 'stripe-event-evt_1']]);
  });

  it('reports a redelivery as a duplicate and queues it again (the job id keeps it to one run)', async () => {
    const { service, enqueued } = setup({ webhookSecret: 'whsec_1' });
    await service.receiveWebhook(body, 'sig');
    expect(await service.receiveWebhook(body, 'sig')).toEqual({ duplicate: true });
    expect(enqueued.map(([, , id]) => id)).toEqual(['stripe-event-evt_1', 'stripe-event-evt_1']);
  });

  it('answers service_unavailable without a secret, bad_request without body or signature, and bad_request with the first line of a failed verification', async () => {
    expect(await failure(setup().service.receiveWebhook(body, 'sig'))).toMatchObject({ code: 'service_unavailable' });
    const { service, stripe, billing, enqueued } = setup({ webhookSecret: 'whsec_1' });
    expect(await failure(service.receiveWebhook(undefined, 'sig'))).toMatchObject({ code: 'bad_request' });
    expect(await failure(service.receiveWebhook(body, undefined))).toMatchObject({ code: 'bad_request' });
    stripe.signatureError = new Error('No signatures found matching the expected signature\nLearn more at https://stripe.test');
    expect(await failure(service.receiveWebhook(body, 'sig'))).toEqual({
      code: 'bad_request',
      message: 'Webhook signature verification failed: No signatures found matching the expected signature',
    });
    expect(billing.events.size).toBe(0);
    expect(enqueued).toEqual([]);
  });
});
