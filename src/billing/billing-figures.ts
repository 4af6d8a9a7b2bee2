import { Injectable, Module } from '@nestjs/common';
import { BillingFiguresRepository, type SubscriptionFigures } from './billing-figures.repository.js';

const DAY_MS = 86_400_000;

/** Revenue, subscriptions and invoices as the operator dashboard shows them (table ownership: docs/architecture.md). */
@Injectable()
export class BillingFigures {
  constructor(private readonly repository: BillingFiguresRepository) {}

  /** MRR, live subscriptions per plan, new and churned in the last 30 days, past-due accounts. */
  subscriptionFigures(now: Date): Promise<SubscriptionFigures> {
    return this.repository.subscriptionFigures(new Date(now.getTime() - 30 * DAY_MS));
  }

  /** The newest subscription status of each organisation that has one. */
  newestStatuses(organizationIds: readonly string[]): Promise<Map<string, string>> {
    return organizationIds.length === 0 ? Promise.resolve(new Map()) : this.repository.newestStatuses(organizationIds);
  }

  /** The latest invoice of each organisation that has one. */
  lastInvoices(organizationIds: readonly string[]): Promise<Map<string, { amountCents: number; status: string; createdAt: Date }>> {
    return organizationIds.length === 0 ? Promise.resolve(new Map()) : this.repository.lastInvoices(organizationIds);
  }

  /** One organisation's subscriptions, newest state first. */
  subscriptionsOf(organizationId: string) {
    return this.repository.subscriptionsOf(organizationId);
  }

  /** One organisation's last 24 invoices, newest first. */
  invoicesOf(organizationId: string) {
    return this.repository.invoicesOf(organizationId, 24);
  }
}

@Module({ providers: [BillingFiguresRepository, BillingFigures], exports: [BillingFigures] })
export class BillingFiguresModule {}
