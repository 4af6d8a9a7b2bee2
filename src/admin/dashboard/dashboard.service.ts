import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import { overageOf, sortCustomers, type CustomerSort } from './customer-sort.js';
import type { CustomerDetailDto, CustomerDto, OverviewDto } from './dashboard.dto.js';
import { DashboardRepository } from './dashboard.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const DAY = 86_400_000;

/** The operator dashboard's figures, shaped for the page's charts and tables. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly plans: LookupPlansService,
    private readonly clock: Clock,
  ) {}

  async overview(): Promise<OverviewDto> {
    const now = this.clock.now();
    const f = await this.repository.overview(now);
    return {
      mrr_cents: f.mrrCents,
      active_subscriptions_by_plan: f.byPlan.map((p) => ({ plan_id: p.planId, count: p.count })),
      new_subscriptions_30d: f.new30d,
      churned_subscriptions_30d: f.churned30d,
      past_due_accounts: f.pastDue,
      lookups_today: f.lookupsToday,
      quota_capacity_today: f.quotaCapacityToday,
      community: { active_agents: f.activeAgents, signals_per_day: f.signals24h, listed_ips: f.listedIps, blocklist_version: f.blocklistVersion },
      generated_at: now.toISOString(),
    };
  }

  async customers(search: string | undefined, sort: CustomerSort = 'name', dir: 'asc' | 'desc' = 'asc'): Promise<CustomerDto[]> {
    const rows = await this.repository.customers(this.clock.now(), search?.trim() || null, 500);
    return sortCustomers(rows, sort, dir === 'desc').map((c) => ({
      id: c.id,
      name: c.name,
      plan_id: c.planId,
      status: c.status,
      usage: c.usage,
      quota: c.quota,
      overage: overageOf(c),
      last_invoice_cents: c.lastInvoiceCents,
      last_invoice_status: c.lastInvoiceStatus,
      last_invoice_at: iso(c.lastInvoiceAt),
    }));
  }

  async customer(id: string): Promise<CustomerDetailDto> {
    const organization = await this.repository.organization(id);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Customer not found');
    const now = this.clock.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const from = new Date(today - 29 * DAY);
    const planId = await this.plans.planIdOf(id);
    const plan = await this.plans.get(planId);
    const [usage, subscriptions, keys, invoices, agents] = await Promise.all([
      this.repository.dailyUsage(id, from),
      this.repository.subscriptions(id),
      this.repository.keys(id),
      this.repository.invoices(id),
      this.repository.agents(id),
    ]);
    const byDay = new Map(usage.map((u) => [u.day, u.lookups]));
    const daily = Array.from({ length: 30 }, (_, i) => {
      const day = new Date(from.getTime() + i * DAY).toISOString().slice(0, 10);
      return { day, lookups: byDay.get(day) ?? 0 };
    });
    return {
      id,
      name: organization.name,
      plan_id: planId,
      quota: plan.monthlyQuota,
      daily_quota: plan.dailyQuota,
      daily_usage: daily,
      subscriptions: subscriptions.map((s) => ({
        id: s.id,
        status: s.status,
        plan_id: s.planId,
        amount_cents: s.amountCents,
        current_period_end: iso(s.currentPeriodEnd),
        cancel_at_period_end: s.cancelAtPeriodEnd,
      })),
      keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, created_at: k.createdAt.toISOString(), revoked_at: iso(k.revokedAt) })),
      invoices: invoices.map((i) => ({ id: i.id, status: i.status, amount_cents: i.amountCents, currency: i.currency, created_at: i.createdAt.toISOString() })),
      agents: agents.map((a) => ({ id: a.id, name: a.name, status: a.status, last_signal_at: iso(a.lastSignalAt) })),
    };
  }
}
