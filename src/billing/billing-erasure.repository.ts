import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Billing's side of erasure (src/billing/billing.erasure.ts). */
@Injectable()
export class BillingErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * R7: stored webhook payloads naming the organisation or its Stripe customer go once processed; the
   * billing records themselves (customer, subscriptions, invoices, usage reports) are kept for tax law.
   */
  async eraseEvents(organizationId: string): Promise<number> {
    const customers = (await this.prisma.db.query<{ id: string }>('SELECT customer_id AS id FROM stripe_customer WHERE organization_id = $1', [organizationId])).map((r) => r.id);
    const needles = [organizationId, ...customers].map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return this.prisma.db.execute('DELETE FROM stripe_event WHERE processed_at IS NOT NULL AND payload::text LIKE ANY($1::text[])', [needles]);
  }

  /** The organisation's comped plans (their reasons are an operator's free text about it). */
  eraseComps(organizationId: string): Promise<number> {
    return this.prisma.db.execute('DELETE FROM plan_comp WHERE organization_id = $1::uuid', [organizationId]);
  }
}
