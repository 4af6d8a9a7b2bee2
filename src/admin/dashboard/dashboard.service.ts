import { Injectable } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service.js';
import { OrganizationDirectory } from '../../agents/organization-directory.js';
import { OrganizationsService } from '../../agents/organizations.service.js';
import { BillingFigures } from '../../billing/billing-figures.js';
import { BlocklistVersions } from '../../blocklist/blocklist-versions.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ScoreFigures } from '../../consensus/score-figures.js';
import { Clock } from '../../infra/clock/clock.js';
import { ApiKeysService } from '../../lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import { UsageLedger } from '../../lookup/usage/usage-ledger.js';
import { SignalsFeed } from '../../signals/signals-feed.js';
import { overageOf, sortCustomers, type CustomerSort, type SortableCustomer } from './customer-sort.js';
import type { CustomerDetailDto, CustomerDto, OverviewDto } from './dashboard.dto.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const DAY = 86_400_000;

interface CustomerRow extends SortableCustomer {
  id: string;
  kind: string;
  suspendedAt: Date | null;
  lastInvoiceCents: number | null;
  lastInvoiceStatus: string | null;
}

/**
 * The operator dashboard's figures, shaped for the page's charts and tables. Every figure comes from
 * the domain that owns it, through its exported service (table ownership: docs/architecture.md).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly plans: LookupPlansService,
    private readonly usage: UsageLedger,
    private readonly keys: ApiKeysService,
    private readonly billing: BillingFigures,
    private readonly directory: OrganizationDirectory,
    private readonly organizations: OrganizationsService,
    private readonly agents: AgentsService,
    private readonly signals: SignalsFeed,
    private readonly scores: ScoreFigures,
    private readonly versions: BlocklistVersions,
    private readonly clock: Clock,
  ) {}

  async overview(): Promise<OverviewDto> {
    const now = this.clock.now();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [subs, lookupsToday, capacity, activeAgents, signals24h, listed, version] = await Promise.all([
      this.billing.subscriptionFigures(now),
      this.usage.totalSince(today),
      this.usage.dailyCapacity(),
      this.directory.activeAgentCount(),
      this.signals.countSince(new Date(now.getTime() - DAY)),
      this.scores.listedCount(),
      this.versions.latestId(),
    ]);
    return {
      mrr_cents: subs.mrrCents,
      active_subscriptions_by_plan: subs.byPlan.map((p) => ({ plan_id: p.planId, count: p.count })),
      new_subscriptions_30d: subs.new30d,
      churned_subscriptions_30d: subs.churned30d,
      past_due_accounts: subs.pastDue,
      lookups_today: lookupsToday,
      quota_capacity_today: capacity,
      community: { active_agents: activeAgents, signals_per_day: signals24h, listed_ips: listed, blocklist_version: version },
      generated_at: now.toISOString(),
    };
  }

  /** Customer organisations with plan, newest subscription status, usage this month and last invoice. */
  private async customerRows(kind: 'customer' | 'community' | 'internal', search: string | null, limit: number): Promise<CustomerRow[]> {
    const now = this.clock.now();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const orgs = await this.directory.organizations(kind, search, limit);
    const ids = orgs.map((o) => o.id);
    const [quotas, statuses, usage, invoices] = await Promise.all([
      this.usage.monthlyQuotas(ids),
      this.billing.newestStatuses(ids),
      this.usage.totalsByOrganization(month, null, ids),
      this.billing.lastInvoices(ids),
    ]);
    return orgs.map((o) => {
      const invoice = invoices.get(o.id);
      return {
        id: o.id,
        name: o.name,
        kind: o.kind,
        suspendedAt: o.suspendedAt,
        planId: quotas.get(o.id)?.planId ?? 'free',
        status: statuses.get(o.id) ?? null,
        usage: Number(usage.get(o.id) ?? 0n),
        quota: quotas.get(o.id)?.monthlyQuota ?? 0,
        lastInvoiceCents: invoice ? invoice.amountCents : null,
        lastInvoiceStatus: invoice ? invoice.status : null,
        lastInvoiceAt: invoice ? invoice.createdAt : null,
      };
    });
  }

  async customers(search: string | undefined, sort: CustomerSort = 'name', dir: 'asc' | 'desc' = 'asc', kind: 'customer' | 'community' | 'internal' = 'customer'): Promise<CustomerDto[]> {
    const rows = await this.customerRows(kind, search?.trim() || null, 500);
    return sortCustomers(rows, sort, dir === 'desc').map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      suspended_at: iso(c.suspendedAt),
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
    const organization = await this.organizations.findById(id);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Customer not found');
    const now = this.clock.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const from = new Date(today - 29 * DAY);
    const planId = await this.plans.planIdOf(id);
    const plan = await this.plans.get(planId);
    const [usage, subscriptions, keys, invoices, agents] = await Promise.all([
      this.usage.dailyOf(id, from),
      this.billing.subscriptionsOf(id),
      this.keys.list(id).then((list) => [...list].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())),
      this.billing.invoicesOf(id),
      this.agents.listForOrganization(id).then((list) => [...list].sort((a, b) => b.enrolledAt.getTime() - a.enrolledAt.getTime()).slice(0, 200)),
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
