import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { BillingRepository } from './billing.repository.js';
import { EntitlementsService } from './entitlements.service.js';
import { STRIPE_CLIENT } from './stripe.client.js';
import { checkoutFields, invoiceFields, subscriptionFields, type SubscriptionFields } from './stripe-objects.js';
import { pastDueSince, stateOrder, type SubscriptionState } from './subscription-state.js';

export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'invoice.marked_uncollectible',
] as const;

export type StripeEventJob = { eventId: string } | { recheck: string };

/** Turns stored Stripe events into subscription state, invoices and entitlements (in the billing job). */
@Injectable()
export class BillingEventsService {
  private readonly logger = new Logger('BillingEvents');
  private readonly planOfPrice: Map<string, string>;

  constructor(
    private readonly billing: BillingRepository,
    private readonly entitlements: EntitlementsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.planOfPrice = new Map(Object.entries(config.billing.prices).map(([plan, price]) => [price, plan]));
  }

  @OnJob(JobName.StripeEvent)
  async handleJob(data: StripeEventJob): Promise<JobOutcome> {
    if ('recheck' in data) {
      await this.entitlements.evaluate(data.recheck);
      return 'done';
    }
    return this.process(data.eventId);
  }

  /** Processes a stored event once; a processed event is skipped (redelivery, job retry). */
  async process(eventId: string): Promise<JobOutcome> {
    const event = await this.billing.findEvent(eventId);
    if (!event || event.processedAt) return 'skipped';
    try {
      const org = await this.apply(event.type, event.created, event.payload);
      await this.billing.markEvent(eventId, this.clock.now(), null);
      if (org) await this.audit.record('stripe', `billing.${event.type}`, `organization:${org}`, { event: eventId });
      return 'done';
    } catch (error) {
      await this.billing.markEvent(eventId, this.clock.now(), (error as Error).message.slice(0, 500));
      throw error;
    }
  }

  private async apply(type: string, created: number, payload: unknown): Promise<string | null> {
    const object = (payload as { data?: { object?: unknown } }).data?.object;
    if (type === 'checkout.session.completed') {
      const session = checkoutFields(object);
      if (!session?.customerId || !session.organizationId) return null;
      await this.billing.linkCustomer(session.organizationId, session.customerId);
      if (session.subscriptionId && this.stripe) {
        const fresh = subscriptionFields(await this.stripe.subscriptions.retrieve(session.subscriptionId));
        if (fresh) await this.saveSubscription(fresh, created, session.organizationId);
      }
      await this.entitlements.evaluate(session.organizationId);
      return session.organizationId;
    }
    if (type.startsWith('customer.subscription.')) {
      const fields = subscriptionFields(object);
      if (!fields) return null;
      const org = await this.saveSubscription(fields, created, null);
      if (org) await this.entitlements.evaluate(org);
      return org;
    }
    if (type.startsWith('invoice.') && (HANDLED_EVENTS as readonly string[]).includes(type)) {
      const invoice = invoiceFields(object);
      if (!invoice) return null;
      const org = await this.billing.organizationOfCustomer(invoice.customerId);
      if (!org) return null;
      await this.billing.saveInvoice(org, invoice, type === 'invoice.payment_failed' ? new Date(created * 1000) : null);
      return org;
    }
    this.logger.debug(`ignored Stripe event type ${type}`);
    return null;
  }

  /** Stores the subscription state when it is newer than the stored one; returns its organisation. */
  private async saveSubscription(fields: SubscriptionFields, created: number, orgHint: string | null): Promise<string | null> {
    const org = orgHint ?? fields.metadataOrganizationId ?? (await this.billing.organizationOfCustomer(fields.customerId));
    if (!org) {
      this.logger.warn(`subscription ${fields.id} belongs to no known organisation; ignored`);
      return null;
    }
    await this.billing.linkCustomer(org, fields.customerId);
    const previous = await this.billing.subscription(fields.id);
    const planId = (fields.priceId ? this.planOfPrice.get(fields.priceId) : undefined) ?? fields.metadataPlanId ?? previous?.planId ?? 'free';
    const state: SubscriptionState = {
      id: fields.id,
      organizationId: org,
      customerId: fields.customerId,
      status: fields.status,
      planId,
      priceId: fields.priceId,
      currentPeriodStart: fields.currentPeriodStart,
      currentPeriodEnd: fields.currentPeriodEnd,
      cancelAtPeriodEnd: fields.cancelAtPeriodEnd,
      canceledAt: fields.canceledAt,
      pastDueSince: pastDueSince(fields.status, previous, new Date(created * 1000)),
      amountCents: fields.amountCents,
      stateAt: stateOrder(created, fields.status),
    };
    await this.billing.saveSubscriptionIfNewer(state);
    await this.billing.recordSubscriptionChange(state, new Date(created * 1000));
    return org;
  }
}
