import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

/** Subscriptions that still bring revenue (the overview's MRR: src/billing/billing-figures.repository.ts). */
const LIVE = ['active', 'trialing', 'past_due'];
const n = (v: unknown): number => Number(v ?? 0);
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

export interface DailyRevenueRow {
  day: string;
  mrrCents: number;
  liveSubscriptions: number;
  pastDue: number;
}

export interface FailedPaymentRow {
  invoiceId: string;
  organizationId: string;
  status: string;
  amountCents: number;
  currency: string;
  attemptCount: number;
  nextPaymentAttempt: Date | null;
  paymentFailedAt: Date;
  createdAt: Date;
}

export interface SubscriptionChangeRow {
  subscriptionId: string;
  status: string;
  planId: string;
  amountCents: number;
  at: Date;
}

/** Revenue history and its daily snapshot (billing_daily, subscription_change; src/billing/revenue/revenue-figures.ts). */
@Injectable()
export class RevenueFiguresRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** MRR, live and past-due subscriptions from the subscriptions as stored now. */
  async current(): Promise<Omit<DailyRevenueRow, 'day'>> {
    const [row] = await this.prisma.db.query<{ mrr: string; live: string; past_due: string }>(
      `SELECT COALESCE(SUM(amount_cents) FILTER (WHERE status = ANY($1::text[])), 0) AS mrr,
              COUNT(*) FILTER (WHERE status = ANY($1::text[])) AS live, COUNT(*) FILTER (WHERE status = 'past_due') AS past_due
       FROM subscription`,
      [LIVE],
    );
    return { mrrCents: n(row.mrr), liveSubscriptions: n(row.live), pastDue: n(row.past_due) };
  }

  /** Stores one day's figures (upserted: the day's last snapshot stays). */
  async writeSnapshot(row: DailyRevenueRow, takenAt: Date): Promise<void> {
    await this.prisma.db.execute(
      `INSERT INTO billing_daily (day, mrr_cents, live_subscriptions, past_due, taken_at) VALUES ($1::date, $2, $3, $4, $5)
       ON CONFLICT (day) DO UPDATE SET mrr_cents = EXCLUDED.mrr_cents, live_subscriptions = EXCLUDED.live_subscriptions,
         past_due = EXCLUDED.past_due, taken_at = EXCLUDED.taken_at`,
      [row.day, row.mrrCents, row.liveSubscriptions, row.pastDue, takenAt],
    );
  }

  async snapshotsSince(from: Date): Promise<DailyRevenueRow[]> {
    const rows = await this.prisma.db.query<{ day: string; mrr_cents: string; live_subscriptions: number; past_due: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, mrr_cents, live_subscriptions, past_due FROM billing_daily WHERE day >= $1::date ORDER BY day`,
      [dayOf(from)],
    );
    return rows.map((r) => ({ day: r.day, mrrCents: n(r.mrr_cents), liveSubscriptions: n(r.live_subscriptions), pastDue: n(r.past_due) }));
  }

  /** Subscriptions that started (first stored) and were cancelled on each UTC day since `from`. */
  async startsAndCancellationsSince(from: Date): Promise<Array<{ day: string; started: number; canceled: number }>> {
    const rows = await this.prisma.db.query<{ day: string; started: string; canceled: string }>(
      `SELECT day, SUM(started) AS started, SUM(canceled) AS canceled FROM (
         SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, 1 AS started, 0 AS canceled FROM subscription WHERE created_at >= $1
         UNION ALL
         SELECT to_char(canceled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 0, 1 FROM subscription WHERE status = 'canceled' AND canceled_at >= $1
       ) d GROUP BY day ORDER BY day`,
      [from],
    );
    return rows.map((r) => ({ day: r.day, started: n(r.started), canceled: n(r.canceled) }));
  }

  /** Invoices a payment attempt failed on, newest failure first, with Stripe's status of the invoice now. */
  async failedPayments(limit: number): Promise<FailedPaymentRow[]> {
    const rows = await this.prisma.invoice.findMany({ where: { paymentFailedAt: { not: null } }, orderBy: { paymentFailedAt: 'desc' }, take: limit });
    return rows.map((r) => ({
      invoiceId: r.id,
      organizationId: r.organizationId,
      status: r.status,
      amountCents: r.amountCents,
      currency: r.currency,
      attemptCount: r.attemptCount,
      nextPaymentAttempt: r.nextPaymentAttempt,
      paymentFailedAt: r.paymentFailedAt!,
      createdAt: r.createdAt,
    }));
  }

  /** Paid invoice amounts per organisation since `from`, largest first. */
  async paidByOrganization(from: Date, limit: number): Promise<Array<{ organizationId: string; paidCents: number }>> {
    const rows = await this.prisma.db.query<{ organization_id: string; paid: string }>(
      `SELECT organization_id::text AS organization_id, SUM(amount_cents) AS paid FROM invoice
       WHERE status = 'paid' AND created_at >= $1 GROUP BY organization_id ORDER BY paid DESC, organization_id LIMIT $2`,
      [from, limit],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, paidCents: n(r.paid) }));
  }

  async subscriptionChangesOf(organizationId: string, limit: number): Promise<SubscriptionChangeRow[]> {
    const rows = await this.prisma.subscriptionChange.findMany({ where: { organizationId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map((r) => ({ subscriptionId: r.subscriptionId, status: r.status, planId: r.planId, amountCents: r.amountCents, at: r.at }));
  }
}
