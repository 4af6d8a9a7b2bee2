import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { BillingErasureRepository } from './billing-erasure.repository.js';

/**
 * Billing's erasure (docs/privacy.md R7, exemption): `stripe_customer`, `subscription`, `invoice` and
 * `usage_report` are billing records kept for tax law (they hold the organisation id, amounts and
 * periods, no person, no key id); processed webhook payloads naming the organisation are deleted.
 */
@DataLifecycleProvider()
@Injectable()
export class BillingLifecycle extends NoIpDataLifecycle {
  readonly domain = 'billing' as const;
  readonly tables = ['stripe_customer', 'subscription', 'stripe_event', 'invoice', 'usage_report'] as const;
  readonly stage = 50;

  constructor(private readonly repository: BillingErasureRepository) {
    super();
  }

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return { stripe_event: await this.repository.eraseEvents(s.organizationId) };
  }
}

/** The billing tables an organisation erasure keeps (tax law); docs/privacy.md lists them as the exemption. */
export const BILLING_RECORDS = ['stripe_customer', 'subscription', 'invoice', 'usage_report', 'usage_counter', 'mirror_activity'] as const;

@Module({ providers: [BillingErasureRepository, BillingLifecycle] })
export class BillingErasureModule {}
