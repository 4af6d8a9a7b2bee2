import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueService } from '../infra/queue/queue.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JOB_OPTIONS, JOB_QUEUE, type JobName, jobSchedules } from '../infra/queue/queue.constants.js';

export interface ScheduleCheck {
  /** schedulers that were missing and have been created again */
  restored: JobName[];
  /** schedulers that could not be checked or created (Redis unreachable): the next check retries */
  failed: JobName[];
}

/**
 * Declares the repeatable jobs (BullMQ job schedulers, upserted by id) and keeps them declared: every
 * scoring tick it checks that each scheduler still exists and re-creates the missing ones. Redis is
 * not the system of record: after it restarts empty (or is flushed) the schedulers are back within one
 * tick, without restarting the worker (docs/security.md, "Recovery").
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobScheduler');
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private checking: Promise<ScheduleCheck> | null = null;

  constructor(
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How often the schedulers are checked: one scoring tick. */
  get checkEveryMs(): number {
    return this.config.consensus.tickMs;
  }

  onApplicationBootstrap(): void {
    void this.ensureScheduled();
    this.timer = setInterval(() => void this.ensureScheduled(), this.checkEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Creates every declared scheduler that Redis does not hold (one check at a time). */
  ensureScheduled(): Promise<ScheduleCheck> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<ScheduleCheck> {
    const result: ScheduleCheck = { restored: [], failed: [] };
    for (const [name, schedule] of Object.entries(jobSchedules(this.config)) as Array<[JobName, { every: number }]>) {
      if (this.stopped) break;
      const queue = this.queues.queue(JOB_QUEUE[name]);
      try {
        if (await this.exists(queue, name, schedule.every)) continue;
        await queue.upsertJobScheduler(schedulerId(name), { every: schedule.every }, { name, data: {}, opts: JOB_OPTIONS[name] });
        result.restored.push(name);
      } catch (error) {
        result.failed.push(name);
        this.logger.warn(`cannot schedule ${name} yet (${(error as Error).message}); next check in ${this.checkEveryMs} ms`);
      }
    }
    if (result.restored.length > 0) this.logger.log(`job schedulers created: ${result.restored.join(', ')}`);
    return result;
  }

  /** The scheduler exists with the configured interval (a changed interval is upserted again). */
  private async exists(queue: Queue, name: JobName, every: number): Promise<boolean> {
    const current = await queue.getJobScheduler(schedulerId(name));
    return current !== undefined && Number(current.every) === every;
  }
}

export function schedulerId(name: JobName): string {
  return `schedule-${name}`;
}
