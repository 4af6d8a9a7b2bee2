import { Injectable } from '@nestjs/common';
import { OrganizationDirectory } from '../../agents/organization-directory.js';
import { RevenueFigures } from '../../billing/revenue/revenue-figures.js';
import { Clock } from '../../infra/clock/clock.js';
import { UsageLedger } from '../../lookup/usage/usage-ledger.js';
import type { RevenueDto, TopCustomerDto } from './revenue.dto.js';

const DAY_MS = 86_400_000;
const TREND_DAYS = 365;
const TOP = 10;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The revenue page (docs/operators.md "Revenue"): figures from billing (RevenueFigures) and lookups
 * from the usage ledger, named by the agents domain's directory (table ownership: docs/architecture.md).
 */
@Injectable()
export class RevenueService {
  constructor(
    private readonly revenue: RevenueFigures,
    private readonly usage: UsageLedger,
    private readonly directory: OrganizationDirectory,
    private readonly clock: Clock,
  ) {}

  async page(): Promise<RevenueDto> {
    const now = this.clock.now();
    const [daily, failed, paid, usage] = await Promise.all([
      this.revenue.dailyTrend(TREND_DAYS),
      this.revenue.failedPayments(100),
      this.revenue.topByRevenue(365, TOP * 2),
      this.usage.totalsByOrganization(new Date(now.getTime() - 30 * DAY_MS)),
    ]);
    const byUsage = [...usage.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0]))).slice(0, TOP * 2);
    const ids = [...new Set([...failed.map((f) => f.organizationId), ...paid.map((p) => p.organizationId), ...byUsage.map(([id]) => id)])];
    const names = await this.directory.namesOf(ids);
    const paidOf = new Map(paid.map((p) => [p.organizationId, p.paidCents]));
    const top = (id: string): TopCustomerDto | null => {
      const name = names.get(id);
      return name === undefined ? null : { organization_id: id, name, paid_cents: paidOf.get(id) ?? 0, lookups: Number(usage.get(id) ?? 0n) };
    };
    const today = daily[daily.length - 1];
    return {
      mrr_cents: today.mrrCents ?? 0,
      daily: daily.map((d) => ({
        day: d.day,
        mrr_cents: d.mrrCents,
        live_subscriptions: d.liveSubscriptions,
        past_due: d.pastDue,
        new_subscriptions: d.started,
        churned_subscriptions: d.canceled,
      })),
      snapshots_since: daily.find((d) => d.mrrCents !== null)?.day ?? null,
      failed_payments: failed.map((f) => ({
        invoice_id: f.invoiceId,
        organization_id: f.organizationId,
        organization_name: names.get(f.organizationId) ?? null,
        stripe_status: f.status,
        amount_cents: f.amountCents,
        currency: f.currency,
        attempt_count: f.attemptCount,
        next_payment_attempt: iso(f.nextPaymentAttempt),
        payment_failed_at: f.paymentFailedAt.toISOString(),
        created_at: f.createdAt.toISOString(),
      })),
      top_by_revenue: paid.map((p) => top(p.organizationId)).filter((t): t is TopCustomerDto => t !== null).slice(0, TOP),
      top_by_usage: byUsage.map(([id]) => top(id)).filter((t): t is TopCustomerDto => t !== null).slice(0, TOP),
      generated_at: now.toISOString(),
    };
  }
}
