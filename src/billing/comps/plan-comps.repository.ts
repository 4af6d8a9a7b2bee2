import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export interface PlanCompRecord {
  id: string;
  organizationId: string;
  planId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  grantedBy: string;
  createdAt: Date;
}

/** Comped plans (plan_comp; src/billing/comps/plan-comps.service.ts). */
@Injectable()
export class PlanCompsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(comp: Omit<PlanCompRecord, 'id' | 'createdAt'>): Promise<PlanCompRecord> {
    return this.prisma.planComp.create({ data: { id: randomUUID(), ...comp } });
  }

  /** One organisation's comps, newest first (at most 100). */
  listOf(organizationId: string): Promise<PlanCompRecord[]> {
    return this.prisma.planComp.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, take: 100 });
  }

  /** Comps not ended at `now` (running or to come). */
  openOf(organizationId: string, now: Date): Promise<PlanCompRecord[]> {
    return this.prisma.planComp.findMany({ where: { organizationId, endsAt: { gt: now } }, orderBy: { startsAt: 'asc' } });
  }
}
