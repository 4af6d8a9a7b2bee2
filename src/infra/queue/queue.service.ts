import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_OPTIONS, JOB_QUEUE, type JobName, QueueName } from './queue.constants.js';

/** The one way to enqueue: options and queue come from the declarations, ids from business keys. */
@Injectable()
export class QueueService implements OnModuleInit {
  private readonly logger = new Logger('QueueService');
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.allQueues();
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return Object.values(QueueName).map((name) => this.queue(name));
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
