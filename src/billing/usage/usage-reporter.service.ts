import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Clock } from '../../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../../infra/queue/on-job.decorator.js';
import { JobName } from '../../infra/queue/queue.constants.js';
import { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import { BillingRepository } from '../billing.repository.js';
import { STRIPE_CLIENT } from '../stripe.client.js';
import { FREE_PLAN_ID } from '../subscription-state.js';
import { overageIncrement, periodOf, reportIdentifier } from './overage.js';
import { UsageLedger } from '../../lookup/usage/usage-ledger.js';
import { type ReconciliationRow, reconciliationRows, UsageReportRepository } from './usage-report.repository.js';

export interface ReconciliationLine extends ReconciliationRow {
  planId: string;
  included: bigint;
  overage: bigint;
}

/**
 * Reports lookups beyond each paid plan's included volume (its monthly quota) to Stripe as meter
 * events. Each increment is recorded before it is sent and sent with its identifier, so a job that
 * fails or is retried at any point resends the same identifiers and never bills twice.
 */
@Injectable()
export class UsageReporterService {
  private readonly logger = new Logger('UsageReporter');

  constructor(
    private readonly reports: UsageReportRepository,
    private readonly billing: BillingRepository,
    private readonly plans: LookupPlansService,
    private readonly ledger: UsageLedger,
    private readonly clock: Clock,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.UsageReport)
  async handleJob(): Promise<JobOutcome> {
    if (!this.stripe) return 'skipped';
    await this.report();
    return 'done';
  }

  /** Records new increments for the current period, then sends every unsent one. Returns how many were sent. */
  async report(): Promise<number> {
    const now = this.clock.now();
    const period = periodOf(now);
    const counted = await this.ledger.totalsByOrganization(period.start, period.end, await this.reports.customerOrganizations());
    const recorded = await this.reports.recorded(period.start);
    for (const [organizationId, lookups] of counted) {
      const planId = await this.plans.planIdOf(organizationId);
      if (planId === FREE_PLAN_ID) continue;
      const included = BigInt((await this.plans.policy(planId)).record.monthlyQuota);
      const already = recorded.get(organizationId) ?? 0n;
      const increment = overageIncrement(lookups, included, already);
      if (increment > 0n) await this.reports.record(reportIdentifier(organizationId, period.label, already), organizationId, period.start, increment);
    }
    let sent = 0;
    for (const pending of await this.reports.pending()) {
      const customer = await this.billing.customerOf(pending.organizationId);
      if (!customer) continue;
      await this.send(customer, pending.identifier, pending.quantity, now);
      await this.reports.markReported(pending.identifier, this.clock.now());
      sent++;
    }
    return sent;
  }

  private async send(customer: string, identifier: string, quantity: bigint, now: Date): Promise<void> {
    const stripe = this.stripe;
    if (!stripe) return;
    try {
      await stripe.billing.meterEvents.create(
        {
          event_name: this.config.billing.meterEventName,
          identifier,
          timestamp: Math.floor(now.getTime() / 1000),
          payload: { stripe_customer_id: customer, value: quantity.toString() },
        },
        { idempotencyKey: identifier },
      );
    } catch (error) {
      // Stripe refuses a second event with the same identifier: it was reported before.
      if (error instanceof Stripe.errors.StripeInvalidRequestError && /identifier/i.test(error.message) && /already/i.test(error.message)) {
        this.logger.debug(`meter event ${identifier} was already reported`);
        return;
      }
      throw error;
    }
  }

  /** Counted vs reported per organisation for the period containing `at`. */
  async reconciliation(at: Date = this.clock.now()): Promise<{ period: string; rows: ReconciliationLine[] }> {
    const period = periodOf(at);
    const customers = new Set(await this.reports.customerOrganizations());
    const rows = reconciliationRows(await this.ledger.totalsByOrganization(period.start, period.end), await this.reports.reportedTotals(period.start), customers);
    const lines: ReconciliationLine[] = [];
    for (const row of rows) {
      const planId = await this.plans.planIdOf(row.organizationId);
      const included = planId === FREE_PLAN_ID ? row.counted : BigInt((await this.plans.policy(planId)).record.monthlyQuota);
      lines.push({ ...row, planId, included, overage: row.counted > included ? row.counted - included : 0n });
    }
    return { period: period.label, rows: lines };
  }
}
