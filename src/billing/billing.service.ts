import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { OrganizationsService } from '../agents/organizations.service.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { BillingRepository } from './billing.repository.js';
import { requireStripe, STRIPE_CLIENT } from './stripe.client.js';
import type { SubscriptionState } from './subscription-state.js';

/** Subscription states that still bill or may bill again: a new checkout would make a second subscription. */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);

/** Checkout and portal sessions, and webhook intake (verify, store by id, queue). */
@Injectable()
export class BillingService {
  constructor(
    private readonly billing: BillingRepository,
    private readonly organizations: OrganizationsService,
    private readonly queue: QueueService,
    private readonly audit: AuditService,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private defaultUrl(path: string): string {
    return `${(this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`).replace(/\/$/, '')}${path}`;
  }

  /** The organisation's Stripe customer, created once (the idempotency key covers concurrent calls). */
  async ensureCustomer(organizationId: string): Promise<string> {
    const known = await this.billing.customerOf(organizationId);
    if (known) return known;
    const organization = await this.organizations.findById(organizationId);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    const customer = await requireStripe(this.stripe).customers.create(
      { name: organization.name, metadata: { organization_id: organizationId } },
      { idempotencyKey: `quorum-customer-${organizationId}` },
    );
    await this.billing.linkCustomer(organizationId, customer.id);
    return (await this.billing.customerOf(organizationId)) ?? customer.id;
  }

  async checkout(organizationId: string, planId: string, urls: { success?: string; cancel?: string }, actor: string): Promise<{ id: string; url: string }> {
    const price = this.config.billing.prices[planId];
    if (!price) throw DomainError.badRequest(`Plan "${planId}" has no Stripe price (STRIPE_PRICES)`);
    const stripe = requireStripe(this.stripe);
    // One subscription per organisation: a plan change goes through the existing one
    // (POST /v1/billing/plan-change, or Stripe's billing portal), never through a second checkout.
    const live = await this.liveSubscription(organizationId);
    if (live) {
      throw DomainError.conflict(
        `This organisation already has a ${live.status} subscription (plan ${live.planId}): change its plan with POST /v1/billing/plan-change`,
        'subscription_active',
      );
    }
    const customer = await this.ensureCustomer(organizationId);
    // At most one open Checkout session per customer: earlier ones (another tab, a double click) are
    // expired before a new one is made, and concurrent ones after it, so two checkouts cannot both be paid.
    await this.expireOpenSessions(stripe, customer, false);
    const overage = this.config.billing.prices.overage;
    // customer members come back to the portal, operators to the dashboard
    const home = actor.startsWith('member:') ? '/app/#' : '/admin/#';
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: organizationId,
      line_items: [{ price, quantity: 1 }, ...(overage ? [{ price: overage }] : [])],
      subscription_data: { metadata: { organization_id: organizationId, plan_id: planId } },
      metadata: { organization_id: organizationId, plan_id: planId },
      success_url: urls.success ?? this.defaultUrl(`${home}/billing/success`),
      cancel_url: urls.cancel ?? this.defaultUrl(`${home}/billing/cancelled`),
    });
    if (!session.url) throw DomainError.unavailable('Stripe returned a checkout session without a URL');
    if ((await this.expireOpenSessions(stripe, customer, true)) !== session.id) {
      throw DomainError.conflict('Another checkout for this organisation started at the same moment; it is the one that stays open', 'checkout_in_progress');
    }
    await this.audit.record(actor, 'billing.checkout_started', `organization:${organizationId}`, { plan: planId, session: session.id });
    return { id: session.id, url: session.url };
  }

  private async liveSubscription(organizationId: string): Promise<SubscriptionState | undefined> {
    return (await this.billing.subscriptionsOf(organizationId)).find((s) => LIVE_STATUSES.has(s.status));
  }

  /**
   * A plan change on the organisation's live subscription: the licensed item's price is replaced on the
   * same Stripe subscription (never a second one), Stripe prorates the rest of the period and invoices
   * the difference at once (`always_invoice`; a downgrade leaves a credit). The new plan applies when
   * Stripe's customer.subscription.updated event arrives, as for changes made in the billing portal.
   */
  async changePlan(organizationId: string, planId: string, actor: string): Promise<{ subscriptionId: string; fromPlanId: string; planId: string; status: string }> {
    const price = this.config.billing.prices[planId];
    if (!price || planId === 'overage') throw DomainError.badRequest(`Plan "${planId}" has no Stripe price (STRIPE_PRICES)`);
    const stripe = requireStripe(this.stripe);
    const live = await this.liveSubscription(organizationId);
    if (!live) throw DomainError.conflict('This organisation has no live subscription: start one with POST /v1/billing/checkout', 'no_subscription');
    if (live.planId === planId) throw DomainError.conflict(`The subscription is on plan ${planId} already`, 'plan_unchanged');
    const subscription = await stripe.subscriptions.retrieve(live.id);
    const item = subscription.items.data.find((i) => i.price.recurring?.usage_type !== 'metered');
    if (!item) throw DomainError.unavailable(`Stripe subscription ${live.id} has no licensed item to change`);
    const updated = await stripe.subscriptions.update(
      live.id,
      { items: [{ id: item.id, price }], proration_behavior: 'always_invoice', metadata: { organization_id: organizationId, plan_id: planId } },
      // a retried request (double click, network retry) changes the plan once
      { idempotencyKey: `quorum-plan-change-${live.id}-${item.price.id}-${price}` },
    );
    await this.audit.record(actor, 'billing.plan_change_requested', `organization:${organizationId}`, { subscription: live.id, from: live.planId, to: planId });
    return { subscriptionId: updated.id, fromPlanId: live.planId, planId, status: updated.status };
  }

  /**
   * Expires the customer's open Checkout sessions, all of them or all but the newest; returns the one
   * kept. Concurrent checkouts all end up keeping the same newest one, so only one can be paid.
   */
  private async expireOpenSessions(stripe: Stripe, customer: string, keepNewest: boolean): Promise<string | null> {
    const open = (await stripe.checkout.sessions.list({ customer, status: 'open', limit: 20 })).data;
    open.sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
    const kept = keepNewest ? (open[0]?.id ?? null) : null;
    for (const session of open) {
      if (session.id === kept) continue;
      try {
        await stripe.checkout.sessions.expire(session.id);
      } catch (error) {
        // completed or expired meanwhile: nothing left to close
        if ((error as { type?: string }).type !== 'StripeInvalidRequestError') throw error;
      }
    }
    return kept;
  }

  async portal(organizationId: string, returnUrl: string | undefined, actor: string): Promise<{ id: string; url: string }> {
    const customer = await this.billing.customerOf(organizationId);
    if (!customer) throw DomainError.notFound('This organisation has no billing account yet; start a checkout first');
    const session = await requireStripe(this.stripe).billingPortal.sessions.create({ customer, return_url: returnUrl ?? this.defaultUrl(actor.startsWith('member:') ? '/app/#/billing' : '/admin/') });
    await this.audit.record(actor, 'billing.portal_opened', `organization:${organizationId}`, { session: session.id });
    return { id: session.id, url: session.url };
  }

  /** Verifies the signature over the raw bytes, stores the event by id, queues it. */
  async receiveWebhook(rawBody: Buffer | undefined, signature: string | undefined): Promise<{ duplicate: boolean }> {
    const secret = this.config.billing.webhookSecret;
    const stripe = requireStripe(this.stripe);
    if (!secret) throw DomainError.unavailable('Billing webhooks are not configured (STRIPE_WEBHOOK_SECRET is unset)');
    if (!rawBody || !signature) throw DomainError.badRequest('Missing Stripe-Signature header or body');
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signature, secret, this.config.billing.webhookToleranceSeconds);
    } catch (error) {
      throw DomainError.badRequest(`Webhook signature verification failed: ${(error as Error).message.split('\n')[0]}`);
    }
    const stored = await this.billing.storeEvent({ id: event.id, type: event.type, created: event.created, payload: event });
    // Queued even for a redelivery: when the first enqueue failed after storing, this one recovers it
    // (the job id is the event id, so it never runs twice, and a processed event is skipped).
    await this.queue.enqueue(JobName.StripeEvent, { eventId: event.id }, jobId(JobName.StripeEvent, event.id));
    return { duplicate: !stored };
  }
}
