import { Injectable } from '@nestjs/common';
import type { Plan as PlanRow } from '../../generated/prisma/client.js';
import { PrismaService } from '../../infra/prisma/prisma.service.js';
import { isPlanField, isPlanView, type PlanChanges, type PlanRecord } from './plan.types.js';

function toRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    name: row.name,
    burstPerSecond: row.burstPerSecond,
    dailyQuota: row.dailyQuota,
    monthlyQuota: row.monthlyQuota,
    bulkSize: row.bulkSize,
    fields: row.fields.filter(isPlanField),
    views: row.views.filter(isPlanView),
    priceCents: row.priceCents,
    currency: row.currency,
    updatedAt: row.updatedAt,
  };
}

@Injectable()
export class PlansRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(): Promise<PlanRecord[]> {
    return (await this.prisma.plan.findMany({ orderBy: { monthlyQuota: 'asc' } })).map(toRecord);
  }

  async findById(id: string): Promise<PlanRecord | null> {
    const row = await this.prisma.plan.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async update(id: string, changes: PlanChanges): Promise<PlanRecord> {
    return toRecord(await this.prisma.plan.update({ where: { id }, data: changes }));
  }

  /** The organisation's plan id, or null when it has none recorded (free). */
  async organizationPlanId(organizationId: string): Promise<string | null> {
    const row = await this.prisma.organizationPlan.findUnique({ where: { organizationId } });
    return row?.planId ?? null;
  }

  async setOrganizationPlan(organizationId: string, planId: string): Promise<void> {
    await this.prisma.organizationPlan.upsert({ where: { organizationId }, create: { organizationId, planId }, update: { planId } });
  }
}
