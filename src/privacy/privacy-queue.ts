import { Injectable, Module } from '@nestjs/common';
import { PrivacyQueueRepository, type PrivacyQueueRow } from './privacy-queue.repository.js';

/** GDPR Art. 12(3): a request is answered within one month of its receipt (docs/privacy.md). */
export function privacyDeadline(receivedAt: Date): Date {
  const due = new Date(receivedAt.getTime());
  const day = due.getUTCDate();
  due.setUTCDate(1);
  due.setUTCMonth(due.getUTCMonth() + 1);
  const last = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(day, last));
  return due;
}

export type PrivacyQueueItem = PrivacyQueueRow & { dueAt: Date };

/** Open privacy requests and those closed since a date, oldest first, each with its legal deadline. */
@Injectable()
export class PrivacyQueue {
  constructor(private readonly repository: PrivacyQueueRepository) {}

  async list(closedSince: Date, limit = 200): Promise<PrivacyQueueItem[]> {
    return (await this.repository.openOrClosedSince(closedSince, limit)).map((row) => ({ ...row, dueAt: privacyDeadline(row.createdAt) }));
  }
}

@Module({ providers: [PrivacyQueueRepository, PrivacyQueue], exports: [PrivacyQueue] })
export class PrivacyQueueModule {}
