import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOB_OPTIONS, JOB_QUEUE, type JobName, QueueName } from './queue.constants.js';

/**
 * The one way to enqueue: options and queue come from the declarations, ids from business keys. Every
 * declared queue is injected by name (QueueModule registers them), so a queue added to `QueueName` without
 * a parameter here fails the type check of the map below rather than a lookup at run time.
 */
@Injectable()
export class QueueService implements OnModuleInit {
  private readonly logger = new Logger('QueueService');
  private readonly queues: Readonly<Record<QueueName, Queue>>;

  constructor(
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Scoring) scoring: Queue,
    @InjectQueue(QueueName.Billing) billing: Queue,
    @InjectQueue(QueueName.Privacy) privacy: Queue,
  ) {
    this.queues = {
      [QueueName.Maintenance]: maintenance,
      [QueueName.Scoring]: scoring,
      [QueueName.Billing]: billing,
      [QueueName.Privacy]: privacy,
    };
  }

  onModuleInit(): void {
    for (const [name, queue] of Object.entries(this.queues)) {
      queue.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
    }
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  allQueues(): Queue[] {
    return Object.values(QueueName).map((name) => this.queues[name]);
  }

  async enqueue(name: JobName, data: object, id?: string, extra: { delay?: number } = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, data, { ...JOB_OPTIONS[name], ...extra, ...(id ? { jobId: id } : {}) });
  }

  async depths(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const name of Object.values(QueueName)) {
      out[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    }
    return out;
  }
}
