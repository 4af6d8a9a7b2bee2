import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import type { Subscription as SubscriptionRow } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { InvoiceFields } from './stripe-objects.js';
import type { SubscriptionState } from './subscription-state.js';

export interface StoredEvent {
  id: string;
  type: string;
  created: number;
  payload: unknown;
  processedAt: Date | null;
}

function toState(row: SubscriptionRow): SubscriptionState {
  const { createdAt: _c, updatedAt: _u, ...state } = row;
  return state;
}

@Injectable()
export class BillingRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores an event by id; false when it was already stored (a redelivery). */
  async storeEvent(event: { id: string; type: string; created: number; payload: unknown }): Promise<boolean> {
    const inserted = await this.prisma.db.execute(`
      INSERT INTO stripe_event (id, type, created, payload) VALUES ($1, $2, $3, $4::jsonb)
      ON CONFLICT (id) DO NOTHING`, [event.id, event.type, event.created, JSON.stringify(event.payload)]);
    return inserted === 1;
  }

  async findEvent(id: string): Promise<StoredEvent | null> {
    const row = await this.prisma.stripeEvent.findUnique({ where: { id } });
    return row ? { id: row.id, type: row.type, created: Number(row.created), payload: row.payload, processedAt: row.processedAt } : null;
  }

  async markEvent(id: string, at: Date, error: string | null): Promise<void> {
    await this.prisma.stripeEvent.update({ where: { id }, data: error ? { error } : { processedAt: at, error: null } });
  }

  async customerOf(organizationId: string): Promise<string | null> {
    return (await this.prisma.stripeCustomer.findUnique({ where: { organizationId } }))?.customerId ?? null;
  }

  async organizationOfCustomer(customerId: string): Promise<string | null> {
    return (await this.prisma.stripeCustomer.findUnique({ where: { customerId } }))?.organizationId ?? null;
  }

  async linkCustomer(organizationId: string, customerId: string): Promise<void> {
    await this.prisma.stripeCustomer.upsert({ where: { organizationId }, create: { organizationId, customerId }, update: {} });
  }

  async subscription(id: string): Promise<SubscriptionState | null> {
    const row = await this.prisma.subscription.findUnique({ where: { id } });
    return row ? toState(row) : null;
  }

  async subscriptionsOf(organizationId: string): Promise<SubscriptionState[]> {
    return (await this.prisma.subscription.findMany({ where: { organizationId }, orderBy: { currentPeriodStart: 'desc' } })).map(toState);
  }

  /** Writes the state only when it is not older than the stored one (checked inside the statement). */
  async saveSubscriptionIfNewer(state: SubscriptionState): Promise<boolean> {
    const { id, ...data } = state;
    return this.prisma.transaction(async (tx) => {
      await tx.execute('SELECT pg_advisory_xact_lock(hashtext($1))', [`subscription:${id}`]);
      const stored = await tx.prisma.subscription.findUnique({ where: { id }, select: { stateAt: true } });
      if (stored && stored.stateAt > state.stateAt) return false;
      await tx.prisma.subscription.upsert({ where: { id }, create: state, update: data });
      return true;
    });
  }

  /** `failedAt`: the time of an invoice.payment_failed event carrying this state (null for other events). */
  async saveInvoice(organizationId: string, invoice: InvoiceFields, failedAt: Date | null = null): Promise<void> {
    const data = {
      organizationId,
      subscriptionId: invoice.subscriptionId,
      status: invoice.status,
      amountCents: invoice.amountCents,
      currency: invoice.currency,
      createdAt: invoice.created,
      attemptCount: invoice.attemptCount,
      nextPaymentAttempt: invoice.nextPaymentAttempt,
    };
    const stored = await this.prisma.invoice.findUnique({ where: { id: invoice.id }, select: { status: true, paymentFailedAt: true, attemptCount: true } });
    // a paid invoice stays paid when an older payment_failed arrives late
    const status = stored?.status === 'paid' ? 'paid' : data.status;
    const paymentFailedAt = failedAt && (!stored?.paymentFailedAt || stored.paymentFailedAt < failedAt) ? failedAt : (stored?.paymentFailedAt ?? null);
    const attemptCount = Math.max(stored?.attemptCount ?? 0, data.attemptCount);
    await this.prisma.invoice.upsert({
      where: { id: invoice.id },
      create: { id: invoice.id, ...data, paymentFailedAt },
      update: { ...data, status, paymentFailedAt, attemptCount, ...(status === 'paid' ? { nextPaymentAttempt: null } : {}) },
    });
  }

  /** Appends a state of a subscription to its history (the same state twice is stored once). */
  async recordSubscriptionChange(state: SubscriptionState, at: Date): Promise<void> {
    await this.prisma.db.execute(
      `INSERT INTO subscription_change (subscription_id, organization_id, status, plan_id, amount_cents, state_at, at)
       VALUES ($1, $2::uuid, $3, $4, $5, $6, $7) ON CONFLICT (subscription_id, state_at, status) DO NOTHING`,
      [state.id, state.organizationId, state.status, state.planId, state.amountCents, state.stateAt.toString(), at],
    );
  }

  async invoicesOf(organizationId: string, limit: number): Promise<Array<{ id: string; subscriptionId: string | null; status: string; amountCents: number; currency: string; createdAt: Date }>> {
    return this.prisma.invoice.findMany({
      where: { organizationId },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, subscriptionId: true, status: true, amountCents: true, currency: true, createdAt: true },
    });
  }

  async unprocessedEventIds(limit: number): Promise<string[]> {
    const rows = await this.prisma.stripeEvent.findMany({ where: { processedAt: null }, orderBy: { created: 'asc' }, take: limit, select: { id: true } });
    return rows.map((r) => r.id);
  }

  isUniqueViolation(error: unknown): boolean {
    return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
  }
}
