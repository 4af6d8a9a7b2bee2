import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface PrivacyQueueRow {
  id: string;
  kind: string;
  status: string;
  grounds: string | null;
  createdAt: Date;
  verifiedAt: Date | null;
  closedAt: Date | null;
}

/** Privacy requests as the operator console lists them: never the address, the token or the outcome. */
@Injectable()
export class PrivacyQueueRepository {
  constructor(private readonly prisma: PrismaService) {}

  async openOrClosedSince(closedSince: Date, limit: number): Promise<PrivacyQueueRow[]> {
    return this.prisma.privacyRequest.findMany({
      where: { OR: [{ closedAt: null }, { closedAt: { gte: closedSince } }] },
      select: { id: true, kind: true, status: true, grounds: true, createdAt: true, verifiedAt: true, closedAt: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }
}
