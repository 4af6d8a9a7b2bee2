import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { throttledErrorLog } from '../common/logging/throttled-error-log.js';
import { JobRegistry } from '../infra/queue/job-registry.js';
import type { JobOutcome } from '../infra/queue/on-job.decorator.js';
import { QueueName } from '../infra/queue/queue.constants.js';

/** One BullMQ worker per queue; each delegates to the @OnJob handler registered for the job name. */
abstract class RegistryProcessor extends WorkerHost {
  constructor(private readonly registry: JobRegistry) {
    super();
  }
  process(job: Job): Promise<JobOutcome> {
    return this.registry.dispatch(job);
  }

  private readonly logWorkerError = throttledErrorLog((message) => new Logger('QueueWorker').warn(message), `worker ${this.constructor.name}`);

  /** Without a listener BullMQ prints connection errors as multi-line console dumps (Redis outages). */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logWorkerError(error);
  }
}

@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends RegistryProcessor {
  constructor(registry: JobRegistry) {
    super(registry);
  }
}

/**
 * Scoring runs one job at a time per worker; the scoring lock serialises workers. Started by the
 * scoring leadership (scoring-leadership.ts) only in the worker that leads; the others stand by.
 */
@Processor(QueueName.Scoring, { concurrency: 1, autorun: false })
export class ScoringProcessor extends RegistryProcessor {
  constructor(registry: JobRegistry) {
    super(registry);
  }
}

/** Stripe events and usage reports; one at a time keeps a subscription's updates in order per worker. */
@Processor(QueueName.Billing, { concurrency: 1 })
export class BillingProcessor extends RegistryProcessor {
  constructor(registry: JobRegistry) {
    super(registry);
  }
}

/** GDPR retention (one run at a time: its deletions are batched and idempotent). */
@Processor(QueueName.Privacy, { concurrency: 1 })
export class PrivacyProcessor extends RegistryProcessor {
  constructor(registry: JobRegistry) {
    super(registry);
  }
}

export const QUEUE_PROCESSORS = [MaintenanceProcessor, ScoringProcessor, BillingProcessor, PrivacyProcessor];
