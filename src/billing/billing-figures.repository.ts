import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Subscriptions that still bring revenue (past_due is in its grace period or being retried). */
const LIVE = ['active', 'trialing', 'past_due'];

export interface SubscriptionFigures {
  mrrCents: number;
  byPlan: Array<{ planId: string; count: number }>;
  new30d: number;
  churned30d: number;
  pastDue: number;
}

const n = (v: unknown): number => Number(v ?? 0);

/** Read side of subscriptions and invoices for the operator dashboard (src/billing/billing-figures.ts). */
@Injectable()
export class BillingFiguresRepository {
  constructor(private readonly prisma: PrismaService) {}

  async subscriptionFigures(since30: Date): Promise<SubscriptionFigures> {
    const [subs] = await this.prisma.db.query(
      `SELECT COALESCE(SUM(amount_cents) FILTER (WHERE status = ANY($1::text[])), 0) AS mrr,
              COUNT(*) FILTER (WHERE created_at >= $2) AS new30,
              COUNT(*) FILTER (WHERE status = 'canceled' AND canceled_at >= $2) AS churned30,
              COUNT(*) FILTER (WHERE status = 'past_due') AS past_due
       FROM subscription`,
      [LIVE, since30],
    );
    const byPlan = await this.prisma.db.query<{ plan_id: string; count: string }>(
      'SELECT plan_id, COUNT(*) AS count FROM subscription WHERE status = ANY($1::text[]) GROUP BY plan_id ORDER BY plan_id',
      [LIVE],
    );
    return { mrrCents: n(subs.mrr), byPlan: byPlan.map((r) => ({ planId: r.plan_id, count: n(r.count) })), new30d: n(subs.new30), churned30d: n(subs.churned30), pastDue: n(subs.past_due) };
  }

  async newestStatuses(organizationIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.db.query<{ organization_id: string; status: string }>(
      `SELECT DISTINCT ON (organization_id) organization_id::text AS organization_id, status FROM subscription
       WHERE organization_id::text = ANY($1::text[]) ORDER BY organization_id, state_at DESC`,
      [organizationIds],
    );
    return new Map(rows.map((r) => [r.organization_id, r.status]));
  }

  async lastInvoices(organizationIds: readonly string[]): Promise<Map<string, { amountCents: number; status: string; createdAt: Date }>> {
    const rows = await this.prisma.db.query<{ organization_id: string; amount_cents: number; status: string; created_at: Date }>(
      `SELECT DISTINCT ON (organization_id) organization_id::text AS organization_id, amount_cents, status, created_at FROM invoice
       WHERE organization_id::text = ANY($1::text[]) ORDER BY organization_id, created_at DESC`,
      [organizationIds],
    );
    return new Map(rows.map((r) => [r.organization_id, { amountCents: n(r.amount_cents), status: r.status, createdAt: r.created_at }]));
  }

  subscriptionsOf(organizationId: string) {
    return this.prisma.subscription.findMany({ where: { organizationId }, orderBy: { stateAt: 'desc' } });
  }

  invoicesOf(organizationId: string, take: number) {
    return this.prisma.invoice.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, take });
  }
}
