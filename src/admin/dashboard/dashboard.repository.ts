import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

/** Subscriptions that still bring revenue (past_due is in its grace period or being retried). */
const LIVE = ['active', 'trialing', 'past_due'];

export interface OverviewFigures {
  mrrCents: number;
  byPlan: Array<{ planId: string; count: number }>;
  new30d: number;
  churned30d: number;
  pastDue: number;
  lookupsToday: number;
  quotaCapacityToday: number;
  activeAgents: number;
  signals24h: number;
  listedIps: number;
  blocklistVersion: number | null;
}

export interface CustomerRow {
  id: string;
  name: string;
  planId: string;
  status: string | null;
  usage: number;
  quota: number;
  lastInvoiceCents: number | null;
  lastInvoiceStatus: string | null;
  lastInvoiceAt: Date | null;
}

const n = (v: unknown): number => Number(v ?? 0);

/** Read-only queries for the operator dashboard (across billing, lookup, agents, consensus tables). */
@Injectable()
export class DashboardRepository {
  constructor(private readonly prisma: PrismaService) {}

  async overview(now: Date): Promise<OverviewFigures> {
    const since30 = new Date(now.getTime() - 30 * 86_400_000);
    const since24 = new Date(now.getTime() - 86_400_000);
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [subs] = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT COALESCE(SUM(amount_cents) FILTER (WHERE status = ANY(${LIVE})), 0) AS mrr,
             COUNT(*) FILTER (WHERE created_at >= ${since30}) AS new30,
             COUNT(*) FILTER (WHERE status = 'canceled' AND canceled_at >= ${since30}) AS churned30,
             COUNT(*) FILTER (WHERE status = 'past_due') AS past_due
      FROM subscription`;
    const byPlan = await this.prisma.$queryRaw<Array<{ plan_id: string; count: bigint }>>`
      SELECT plan_id, COUNT(*) AS count FROM subscription WHERE status = ANY(${LIVE}) GROUP BY plan_id ORDER BY plan_id`;
    const [usage] = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT (SELECT COALESCE(SUM(lookups), 0) FROM usage_counter WHERE hour >= ${today}) AS lookups,
             (SELECT COALESCE(SUM(p.daily_quota), 0) FROM (SELECT DISTINCT organization_id FROM api_key WHERE revoked_at IS NULL) k
                LEFT JOIN organization_plan op ON op.organization_id = k.organization_id
                JOIN plan p ON p.id = COALESCE(op.plan_id, 'free')) AS capacity`;
    const [community] = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT (SELECT COUNT(*) FROM agent WHERE status = 'active') AS agents,
             (SELECT COUNT(*) FROM signal WHERE received_at >= ${since24}) AS signals,
             (SELECT COUNT(*) FROM ip_score WHERE listed) AS listed,
             (SELECT MAX(id) FROM blocklist_version) AS version`;
    return {
      mrrCents: n(subs.mrr),
      byPlan: byPlan.map((r) => ({ planId: r.plan_id, count: n(r.count) })),
      new30d: n(subs.new30),
      churned30d: n(subs.churned30),
      pastDue: n(subs.past_due),
      lookupsToday: n(usage.lookups),
      quotaCapacityToday: n(usage.capacity),
      activeAgents: n(community.agents),
      signals24h: n(community.signals),
      listedIps: n(community.listed),
      blocklistVersion: community.version === null ? null : n(community.version),
    };
  }

  /** Customer organisations with plan, newest subscription status, usage this month and last invoice. */
  async customers(now: Date, search: string | null, limit: number): Promise<CustomerRow[]> {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
    const rows = await this.prisma.$queryRaw<Array<Record<string, unknown>>>`
      SELECT o.id::text AS id, o.name, COALESCE(op.plan_id, 'free') AS plan_id, p.monthly_quota AS quota,
             (SELECT s.status FROM subscription s WHERE s.organization_id = o.id ORDER BY s.state_at DESC LIMIT 1) AS status,
             (SELECT COALESCE(SUM(u.lookups), 0) FROM usage_counter u WHERE u.organization_id = o.id AND u.hour >= ${month}) AS usage,
             i.amount_cents AS invoice_cents, i.status AS invoice_status, i.created_at AS invoice_at
      FROM organization o
      LEFT JOIN organization_plan op ON op.organization_id = o.id
      JOIN plan p ON p.id = COALESCE(op.plan_id, 'free')
      LEFT JOIN LATERAL (SELECT amount_cents, status, created_at FROM invoice WHERE organization_id = o.id ORDER BY created_at DESC LIMIT 1) i ON true
      WHERE o.kind = 'customer' AND o.erased_at IS NULL AND o.name ILIKE ${pattern}
      ORDER BY o.created_at DESC LIMIT ${limit}`;
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      planId: String(r.plan_id),
      status: (r.status as string | null) ?? null,
      usage: n(r.usage),
      quota: n(r.quota),
      lastInvoiceCents: r.invoice_cents === null ? null : n(r.invoice_cents),
      lastInvoiceStatus: (r.invoice_status as string | null) ?? null,
      lastInvoiceAt: (r.invoice_at as Date | null) ?? null,
    }));
  }

  async dailyUsage(organizationId: string, from: Date): Promise<Array<{ day: string; lookups: number }>> {
    const rows = await this.prisma.$queryRaw<Array<{ day: string; lookups: bigint }>>`
      SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, SUM(lookups)::bigint AS lookups
      FROM usage_counter WHERE organization_id = ${organizationId}::uuid AND hour >= ${from} GROUP BY 1 ORDER BY 1`;
    return rows.map((r) => ({ day: r.day, lookups: n(r.lookups) }));
  }

  keys(organizationId: string) {
    return this.prisma.apiKey.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, revokedAt: true } });
  }

  invoices(organizationId: string) {
    return this.prisma.invoice.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, take: 24 });
  }

  subscriptions(organizationId: string) {
    return this.prisma.subscription.findMany({ where: { organizationId }, orderBy: { stateAt: 'desc' } });
  }

  agents(organizationId: string) {
    return this.prisma.agent.findMany({ where: { organizationId }, orderBy: { enrolledAt: 'desc' }, take: 200, select: { id: true, name: true, status: true, kind: true, lastSignalAt: true, enrolledAt: true } });
  }

  organization(id: string) {
    return this.prisma.organization.findUnique({ where: { id }, select: { id: true, name: true, kind: true, erasedAt: true, createdAt: true } });
  }
}
