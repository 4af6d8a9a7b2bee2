import type { JobsOptions } from 'bullmq';

/** Every queue and job Quorum runs, declared in one place (see docs/architecture.md). */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  EnsureSignalPartitions = 'ensure-signal-partitions',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.EnsureSignalPartitions]: QueueName.Maintenance,
};

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
};

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.EnsureSignalPartitions]: { ...DEFAULTS },
};

/** Repeatable jobs (scheduled by the worker at boot). `every` in ms. */
export const JOB_SCHEDULES: Partial<Record<JobName, { every: number }>> = {
  [JobName.EnsureSignalPartitions]: { every: 6 * 3600 * 1000 },
};

/** BullMQ job ids must not contain ':' nor be plain integers. */
export function jobId(job: JobName, ...businessKey: Array<string | number>): string {
  return [job, ...businessKey].join('-').replace(/[:\s]/g, '_');
}
