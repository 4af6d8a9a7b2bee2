import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export interface PendingReport {
  identifier: string;
  organizationId: string;
  quantity: bigint;
}

export interface ReconciliationRow {
  organizationId: string;
  counted: bigint;
  recorded: bigint;
  reported: bigint;
  pending: bigint;
}

/** Metering owns usage_report; lookups counted come from the usage ledger (src/lookup/usage/usage-ledger.ts). */
@Injectable()
export class UsageReportRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Organisations with a Stripe customer (only they are metered). */
  async customerOrganizations(): Promise<string[]> {
    return (await this.prisma.stripeCustomer.findMany({ select: { organizationId: true } })).map((r) => r.organizationId);
  }

  /** Quantity recorded (sent or pending) per organisation for a period. */
  async recorded(period: Date): Promise<Map<string, bigint>> {
    const rows = await this.prisma.usageReport.groupBy({ by: ['organizationId'], where: { period }, _sum: { quantity: true } });
    return new Map(rows.map((r) => [r.organizationId, r._sum.quantity ?? 0n]));
  }

  /** Records an increment before it is sent; false when that identifier already exists. */
  async record(identifier: string, organizationId: string, period: Date, quantity: bigint): Promise<boolean> {
    const inserted = await this.prisma.db.execute(`
      INSERT INTO usage_report (identifier, organization_id, period, quantity)
      VALUES ($1, $2::uuid, $3::date, $4) ON CONFLICT (identifier) DO NOTHING`, [identifier, organizationId, period, quantity]);
    return inserted === 1;
  }

  async pending(): Promise<PendingReport[]> {
    return this.prisma.usageReport.findMany({ where: { reportedAt: null }, orderBy: { createdAt: 'asc' }, select: { identifier: true, organizationId: true, quantity: true } });
  }

  async markReported(identifier: string, at: Date): Promise<void> {
    await this.prisma.usageReport.update({ where: { identifier }, data: { reportedAt: at } });
  }

  /** Quantity recorded and reported per organisation for one period. */
  async reportedTotals(period: Date): Promise<Map<string, { recorded: bigint; reported: bigint }>> {
    const rows = await this.prisma.db.query<{ organization_id: string; recorded: string; reported: string }>(`
      SELECT organization_id::text AS organization_id, SUM(quantity)::bigint AS recorded,
             COALESCE(SUM(quantity) FILTER (WHERE reported_at IS NOT NULL), 0)::bigint AS reported
      FROM usage_report WHERE period = $1::date GROUP BY organization_id`, [period]);
    return new Map(rows.map((r) => [r.organization_id, { recorded: BigInt(r.recorded), reported: BigInt(r.reported) }]));
  }
}

/**
 * Counted (the usage ledger, src/lookup/usage/usage-ledger.ts) vs recorded and reported, per organisation:
 * every organisation with a Stripe customer that counted lookups, and every one with a recorded report.
 */
export function reconciliationRows(counted: ReadonlyMap<string, bigint>, reported: ReadonlyMap<string, { recorded: bigint; reported: bigint }>, customers: ReadonlySet<string>): ReconciliationRow[] {
  const ids = new Set([...[...counted.keys()].filter((id) => customers.has(id)), ...reported.keys()]);
  return [...ids].sort().map((organizationId) => {
    const r = reported.get(organizationId) ?? { recorded: 0n, reported: 0n };
    return { organizationId, counted: counted.get(organizationId) ?? 0n, recorded: r.recorded, reported: r.reported, pending: r.recorded - r.reported };
  });
}
