import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export interface ListPrice {
  planId: string;
  priceCents: number | null;
  currency: string;
}

/** The list prices kept on the plan rows (used when Stripe has no price for a plan). */
@Injectable()
export class PlanPricesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async all(): Promise<ListPrice[]> {
    const rows = await this.prisma.plan.findMany({ select: { id: true, priceCents: true, currency: true } });
    return rows.map((r) => ({ planId: r.id, priceCents: r.priceCents, currency: r.currency }));
  }
}
