import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { BillingErasureRepository } from './billing-erasure.repository.js';

/**
 * Billing's erasure (docs/privacy.md R7, exemption): `stripe_customer`, `subscription`, `invoice` and
 * `usage_report` are billing records kept for tax law (they hold the organisation id, amounts and
 * periods, no person, no key id), so is `subscription_change` (the subscriptions' past states);
 * `billing_daily` holds totals of no organisation. Processed webhook payloads naming the organisation
 * and its comped plans (an operator's free-text reason, the operator's id) are deleted.
 */
@DataLifecycleProvider()
@Injectable()
export class BillingLifecycle extends NoIpDataLifecycle {
  readonly domain = 'billing' as const;
  readonly tables = ['stripe_customer', 'subscription', 'stripe_event', 'invoice', 'usage_report', 'subscription_change', 'billing_daily', 'plan_comp'] as const;
  readonly stage = 50;

  constructor(private readonly repository: BillingErasureRepository) {
    super();
  }

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return { stripe_event: await this.repository.eraseEvents(s.organizationId), plan_comp: await this.repository.eraseComps(s.organizationId) };
  }
}

/** The billing tables an organisation erasure keeps (tax law); docs/privacy.md lists them as the exemption. */
export const BILLING_RECORDS = ['stripe_customer', 'subscription', 'subscription_change', 'invoice', 'usage_report', 'usage_counter', 'mirror_activity'] as const;

@Module({ providers: [BillingErasureRepository, BillingLifecycle] })
export class BillingErasureModule {}
