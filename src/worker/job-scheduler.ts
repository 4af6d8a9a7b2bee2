import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueueService } from '../infra/queue/queue.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JOB_OPTIONS, JOB_QUEUE, type JobName, jobSchedules } from '../infra/queue/queue.constants.js';

/** Declares the repeatable jobs (idempotent: BullMQ job schedulers are upserted by id). */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobScheduler');

  constructor(
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private stopped = false;

  onApplicationBootstrap(): void {
    void this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async schedule(): Promise<void> {
    for (const [name, schedule] of Object.entries(jobSchedules(this.config)) as Array<[JobName, { every: number }]>) {
      const queue = this.queues.queue(JOB_QUEUE[name]);
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          await queue.upsertJobScheduler(`schedule-${name}`, { every: schedule.every }, { name, data: {}, opts: JOB_OPTIONS[name] });
          break;
        } catch (error) {
          const delay = Math.min(1_000 * 2 ** attempt, 30_000);
          this.logger.warn(`cannot schedule ${name} yet (${(error as Error).message}); retrying in ${delay} ms`);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
  }
}
