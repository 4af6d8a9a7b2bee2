import { Injectable, Module } from '@nestjs/common';
import { UsageLedgerRepository } from './usage-ledger.repository.js';

/**
 * The usage ledger (answered lookups per key per hour, `usage_counter`, owned by lookup) as billing and
 * the operator dashboard read it: totals per organisation and per day, never rows of another domain.
 */
@Injectable()
export class UsageLedger {
  constructor(private readonly repository: UsageLedgerRepository) {}

  /** Lookups per organisation in [from, to) (to: open-ended when null), optionally for some organisations only. */
  totalsByOrganization(from: Date, to: Date | null = null, organizationIds: readonly string[] | null = null): Promise<Map<string, bigint>> {
    if (organizationIds !== null && organizationIds.length === 0) return Promise.resolve(new Map());
    return this.repository.totals(from, to, organizationIds);
  }

  /** All lookups answered since `from`. */
  totalSince(from: Date): Promise<number> {
    return this.repository.total(from);
  }

  /** One organisation's lookups per UTC day since `from`. */
  dailyOf(organizationId: string, from: Date): Promise<Array<{ day: string; lookups: number }>> {
    return this.repository.daily(organizationId, from);
  }

  /** Each organisation's plan and the lookups it includes per month. */
  monthlyQuotas(organizationIds: readonly string[]): Promise<Map<string, { planId: string; monthlyQuota: number }>> {
    return organizationIds.length === 0 ? Promise.resolve(new Map()) : this.repository.monthlyQuotas(organizationIds);
  }

  /** What every organisation with an active key may look up today in all (the sum of their daily quotas). */
  dailyCapacity(): Promise<number> {
    return this.repository.dailyCapacity();
  }
}

/** Imported by the readers (billing, dashboard); lookup writes the ledger itself (src/lookup/usage). */
@Module({ providers: [UsageLedgerRepository, UsageLedger], exports: [UsageLedger] })
export class UsageLedgerModule {}
