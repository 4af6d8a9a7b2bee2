import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '../../config/app-config.js';

/** Every queue and job Quorum runs, declared in one place (see docs/architecture.md). */
export enum QueueName {
  Maintenance = 'maintenance',
  Scoring = 'scoring',
  Billing = 'billing',
  Privacy = 'privacy',
}

export enum JobName {
  EnsureSignalPartitions = 'ensure-signal-partitions',
  SweepSignalNonces = 'sweep-signal-nonces',
  ScoreTick = 'score-tick',
  ConsensusRecompute = 'consensus-recompute',
  TrustForgetting = 'trust-forgetting',
  StripeEvent = 'stripe-event',
  UsageReport = 'usage-report',
  RevenueSnapshot = 'revenue-snapshot',
  PrivacyRetention = 'privacy-retention',
  DelistingExpiry = 'delisting-expiry',
  PrivacyBackup = 'privacy-backup',
  SessionPurge = 'session-purge',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.EnsureSignalPartitions]: QueueName.Maintenance,
  [JobName.SweepSignalNonces]: QueueName.Maintenance,
  [JobName.ScoreTick]: QueueName.Scoring,
  [JobName.ConsensusRecompute]: QueueName.Scoring,
  [JobName.TrustForgetting]: QueueName.Scoring,
  [JobName.StripeEvent]: QueueName.Billing,
  [JobName.UsageReport]: QueueName.Billing,
  [JobName.RevenueSnapshot]: QueueName.Billing,
  [JobName.PrivacyRetention]: QueueName.Privacy,
  [JobName.DelistingExpiry]: QueueName.Privacy,
  [JobName.PrivacyBackup]: QueueName.Privacy,
  [JobName.SessionPurge]: QueueName.Maintenance,
};

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
};

// Scoring ticks are cheap to skip (the next one catches up), so they are not retried and not kept.
const TICK: JobsOptions = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.EnsureSignalPartitions]: { ...DEFAULTS },
  // Expired batch nonces: the next sweep deletes what a failed one left.
  [JobName.SweepSignalNonces]: TICK,
  [JobName.ScoreTick]: TICK,
  [JobName.ConsensusRecompute]: { ...DEFAULTS, attempts: 3 },
  [JobName.TrustForgetting]: { ...DEFAULTS },
  // Stripe events are stored before the job is queued, so retries replay from the database row.
  [JobName.StripeEvent]: { ...DEFAULTS, attempts: 8 },
  [JobName.UsageReport]: { ...DEFAULTS, attempts: 3 },
  // An upsert of today's figures: the next hourly run rewrites what a failed one left.
  [JobName.RevenueSnapshot]: { ...DEFAULTS, attempts: 3 },
  // Every retention step is idempotent and works in batches, so a retry resumes where the last attempt stopped.
  [JobName.PrivacyRetention]: { ...DEFAULTS, attempts: 8 },
  // Selects by cutoff and state: a retry or the next hourly run finishes what a failed one left.
  [JobName.DelistingExpiry]: { ...DEFAULTS },
  // A failed dump leaves no file (written to .partial, renamed when complete): a retry starts over.
  [JobName.PrivacyBackup]: { ...DEFAULTS, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  // Deletes by expiry: a failed run leaves rows the next hourly run removes.
  [JobName.SessionPurge]: { ...DEFAULTS },
};

/** Repeatable jobs (scheduled by the worker at boot). `every` in ms. */
export function jobSchedules(config: AppConfig): Partial<Record<JobName, { every: number }>> {
  return {
    [JobName.EnsureSignalPartitions]: { every: 6 * 3600 * 1000 },
    [JobName.SweepSignalNonces]: { every: 60_000 },
    [JobName.ScoreTick]: { every: config.consensus.tickMs },
    [JobName.ConsensusRecompute]: { every: config.consensus.recomputeIntervalMs },
    [JobName.TrustForgetting]: { every: 24 * 3600 * 1000 },
    [JobName.UsageReport]: { every: config.billing.usageReportMs },
    [JobName.RevenueSnapshot]: { every: 3600 * 1000 },
    [JobName.PrivacyRetention]: { every: 24 * 3600 * 1000 },
    [JobName.DelistingExpiry]: { every: 3600 * 1000 },
    [JobName.PrivacyBackup]: { every: config.privacy.backup.everyHours * 3600 * 1000 },
    [JobName.SessionPurge]: { every: 3600 * 1000 },
  };
}

/** BullMQ job ids must not contain ':' nor be plain integers. */
export function jobId(job: JobName, ...businessKey: Array<string | number>): string {
  return [job, ...businessKey].join('-').replace(/[:\s]/g, '_');
}
