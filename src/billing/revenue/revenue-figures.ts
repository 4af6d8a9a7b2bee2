import { Injectable, Module } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../../infra/queue/on-job.decorator.js';
import { JobName } from '../../infra/queue/queue.constants.js';
import { type FailedPaymentRow, RevenueFiguresRepository, type SubscriptionChangeRow } from './revenue-figures.repository.js';

const DAY_MS = 86_400_000;
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** One UTC day of the revenue trend. Figures of a day before the first snapshot are null (never estimated). */
export interface RevenueDay {
  day: string;
  mrrCents: number | null;
  liveSubscriptions: number | null;
  pastDue: number | null;
  started: number;
  canceled: number;
}

/**
 * Revenue as the operator console's revenue page shows it (docs/operators.md "Revenue"): the MRR and
 * past-due trend from the daily snapshot the billing job writes (billing_daily; the subscription table
 * holds only each subscription's newest state, so a past day cannot be recomputed), starts and
 * cancellations per day from the subscriptions, failed payments with Stripe's invoice status.
 */
@Injectable()
export class RevenueFigures {
  constructor(
    private readonly repository: RevenueFiguresRepository,
    private readonly clock: Clock,
  ) {}

  /** Writes today's snapshot (hourly job; the day's last run is what the trend shows for it). */
  async snapshot(): Promise<void> {
    const now = this.clock.now();
    await this.repository.writeSnapshot({ day: dayOf(now), ...(await this.repository.current()) }, now);
  }

  /** The last `days` UTC days, today last; today's figures are the live ones. */
  async dailyTrend(days: number): Promise<RevenueDay[]> {
    const now = this.clock.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const from = new Date(today - (days - 1) * DAY_MS);
    const [snapshots, flows, current] = await Promise.all([
      this.repository.snapshotsSince(from),
      this.repository.startsAndCancellationsSince(from),
      this.repository.current(),
    ]);
    const byDay = new Map(snapshots.map((s) => [s.day, s]));
    byDay.set(dayOf(now), { day: dayOf(now), ...current });
    const flowOf = new Map(flows.map((f) => [f.day, f]));
    return Array.from({ length: days }, (_, i) => {
      const day = dayOf(new Date(from.getTime() + i * DAY_MS));
      const s = byDay.get(day);
      return {
        day,
        mrrCents: s?.mrrCents ?? null,
        liveSubscriptions: s?.liveSubscriptions ?? null,
        pastDue: s?.pastDue ?? null,
        started: flowOf.get(day)?.started ?? 0,
        canceled: flowOf.get(day)?.canceled ?? 0,
      };
    });
  }

  /** The newest `limit` invoices a payment failed on, each with Stripe's status of the invoice now. */
  failedPayments(limit: number): Promise<FailedPaymentRow[]> {
    return this.repository.failedPayments(limit);
  }

  /** Organisations by paid invoices over the last `days` days, largest first. */
  topByRevenue(days: number, limit: number): Promise<Array<{ organizationId: string; paidCents: number }>> {
    return this.repository.paidByOrganization(new Date(this.clock.nowMs() - days * DAY_MS), limit);
  }

  /** One organisation's subscription states, newest first (at most 200). */
  subscriptionHistoryOf(organizationId: string): Promise<SubscriptionChangeRow[]> {
    return this.repository.subscriptionChangesOf(organizationId, 200);
  }
}

/** The hourly job that writes today's revenue snapshot (provided once, in BillingModule). */
@Injectable()
export class RevenueSnapshotJob {
  constructor(private readonly figures: RevenueFigures) {}

  @OnJob(JobName.RevenueSnapshot)
  async handleJob(): Promise<JobOutcome> {
    await this.figures.snapshot();
    return 'done';
  }
}

@Module({ providers: [RevenueFiguresRepository, RevenueFigures], exports: [RevenueFigures] })
export class RevenueFiguresModule {}
