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

/** Metering reads usage_counter (read-only) and owns usage_report. */
@Injectable()
export class UsageReportRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Lookups counted per organisation in [from, to), for organisations with a Stripe customer. */
  async counted(from: Date, to: Date): Promise<Map<string, bigint>> {
    const rows = await this.prisma.$queryRaw<Array<{ organization_id: string; lookups: bigint }>>`
      SELECT u.organization_id::text AS organization_id, SUM(u.lookups)::bigint AS lookups
      FROM usage_counter u JOIN stripe_customer c ON c.organization_id = u.organization_id
      WHERE u.hour >= ${from} AND u.hour < ${to} GROUP BY u.organization_id`;
    return new Map(rows.map((r) => [r.organization_id, BigInt(r.lookups)]));
  }

  /** Quantity recorded (sent or pending) per organisation for a period. */
  async recorded(period: Date): Promise<Map<string, bigint>> {
    const rows = await this.prisma.usageReport.groupBy({ by: ['organizationId'], where: { period }, _sum: { quantity: true } });
    return new Map(rows.map((r) => [r.organizationId, r._sum.quantity ?? 0n]));
  }

  /** Records an increment before it is sent; false when that identifier already exists. */
  async record(identifier: string, organizationId: string, period: Date, quantity: bigint): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO usage_report (identifier, organization_id, period, quantity)
      VALUES (${identifier}, ${organizationId}::uuid, ${period}::date, ${quantity}) ON CONFLICT (identifier) DO NOTHING`;
    return inserted === 1;
  }

  async pending(): Promise<PendingReport[]> {
    return this.prisma.usageReport.findMany({ where: { reportedAt: null }, orderBy: { createdAt: 'asc' }, select: { identifier: true, organizationId: true, quantity: true } });
  }

  async markReported(identifier: string, at: Date): Promise<void> {
    await this.prisma.usageReport.update({ where: { identifier }, data: { reportedAt: at } });
  }

  /** Counted vs reported per organisation for one period (every organisation with either). */
  async reconciliation(from: Date, to: Date): Promise<ReconciliationRow[]> {
    const rows = await this.prisma.$queryRaw<Array<{ organization_id: string; counted: bigint; recorded: bigint; reported: bigint }>>`
      WITH c AS (
        SELECT organization_id, SUM(lookups)::bigint AS counted FROM usage_counter WHERE hour >= ${from} AND hour < ${to} GROUP BY organization_id
      ), r AS (
        SELECT organization_id, SUM(quantity)::bigint AS recorded,
               COALESCE(SUM(quantity) FILTER (WHERE reported_at IS NOT NULL), 0)::bigint AS reported
        FROM usage_report WHERE period = ${from}::date GROUP BY organization_id
      )
      SELECT COALESCE(c.organization_id, r.organization_id)::text AS organization_id,
             COALESCE(c.counted, 0)::bigint AS counted, COALESCE(r.recorded, 0)::bigint AS recorded, COALESCE(r.reported, 0)::bigint AS reported
      FROM c FULL JOIN r ON r.organization_id = c.organization_id
      WHERE c.organization_id IN (SELECT organization_id FROM stripe_customer) OR r.organization_id IS NOT NULL
      ORDER BY 1`;
    return rows.map((r) => ({
      organizationId: r.organization_id,
      counted: BigInt(r.counted),
      recorded: BigInt(r.recorded),
      reported: BigInt(r.reported),
      pending: BigInt(r.recorded) - BigInt(r.reported),
    }));
  }
}
