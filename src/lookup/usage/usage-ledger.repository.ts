import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

/** Read side of usage_counter for other domains (src/lookup/usage/usage-ledger.ts). */
@Injectable()
export class UsageLedgerRepository {
  constructor(private readonly prisma: PrismaService) {}

  async totals(from: Date, to: Date | null, organizationIds: readonly string[] | null): Promise<Map<string, bigint>> {
    const rows = await this.prisma.db.query<{ organization_id: string; lookups: string }>(
      `SELECT organization_id::text AS organization_id, SUM(lookups)::bigint AS lookups FROM usage_counter
       WHERE hour >= $1 AND ($2::timestamptz IS NULL OR hour < $2::timestamptz)
         AND ($3::boolean OR organization_id::text = ANY($4::text[]))
       GROUP BY organization_id`,
      [from, to, organizationIds === null, organizationIds ?? []],
    );
    return new Map(rows.map((r) => [r.organization_id, BigInt(r.lookups)]));
  }

  async total(from: Date): Promise<number> {
    const [row] = await this.prisma.db.query<{ n: string | null }>('SELECT SUM(lookups)::bigint AS n FROM usage_counter WHERE hour >= $1', [from]);
    return Number(row?.n ?? 0);
  }

  async daily(organizationId: string, from: Date): Promise<Array<{ day: string; lookups: number }>> {
    const rows = await this.prisma.db.query<{ day: string; lookups: string }>(
      `SELECT to_char(date_trunc('day', hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, SUM(lookups)::bigint AS lookups
       FROM usage_counter WHERE organization_id = $1::uuid AND hour >= $2 GROUP BY 1 ORDER BY 1`,
      [organizationId, from],
    );
    return rows.map((r) => ({ day: r.day, lookups: Number(r.lookups) }));
  }

  /** Each organisation's plan and monthly quota (no plan row: the free plan). */
  async monthlyQuotas(organizationIds: readonly string[]): Promise<Map<string, { planId: string; monthlyQuota: number }>> {
    const rows = await this.prisma.db.query<{ id: string; plan_id: string; monthly_quota: number }>(
      `SELECT o.id, p.id AS plan_id, p.monthly_quota FROM unnest($1::text[]) AS o(id)
       LEFT JOIN organization_plan op ON op.organization_id::text = o.id
       JOIN plan p ON p.id = COALESCE(op.plan_id, 'free')`,
      [organizationIds],
    );
    return new Map(rows.map((r) => [r.id, { planId: r.plan_id, monthlyQuota: Number(r.monthly_quota) }]));
  }

  /** Sum of the daily quotas of the organisations holding an active key (plans rows; no row = free). */
  async dailyCapacity(): Promise<number> {
    const [row] = await this.prisma.db.query<{ n: string | null }>(
      `SELECT SUM(p.daily_quota)::bigint AS n FROM (SELECT DISTINCT organization_id FROM api_key WHERE revoked_at IS NULL) k
       LEFT JOIN organization_plan op ON op.organization_id = k.organization_id
       JOIN plan p ON p.id = COALESCE(op.plan_id, 'free')`,
    );
    return Number(row?.n ?? 0);
  }
}
