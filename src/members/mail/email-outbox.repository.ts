import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';
import type { OutgoingEmail } from './mailer.service.js';

/** The local outbox: email kept in the database when no SMTP server is configured. */
@Injectable()
export class EmailOutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  async add(message: OutgoingEmail): Promise<void> {
    await this.prisma.emailOutbox.create({ data: { recipient: message.to, subject: message.subject, text: message.text } });
  }

  /** The latest messages, newest first (the portal's development outbox page). */
  latest(limit: number): Promise<Array<{ id: bigint; createdAt: Date; recipient: string; subject: string; text: string }>> {
    return this.prisma.emailOutbox.findMany({ orderBy: { id: 'desc' }, take: limit });
  }
}
