import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Members' deletions of the purge job (src/members/session-purge.service.ts), by expiry; operator sessions are admin's. */
@Injectable()
export class SessionPurgeRepository {
  constructor(private readonly prisma: PrismaService) {}

  async deleteMemberSessions(expiredBy: Date): Promise<number> {
    return (await this.prisma.memberSession.deleteMany({ where: { expiresAt: { lte: expiredBy } } })).count;
  }

  /** One-use tokens expired by `expiredBy`, or used by `usedBy`. */
  async deleteMemberTokens(expiredBy: Date, usedBy: Date): Promise<number> {
    return (await this.prisma.memberToken.deleteMany({ where: { OR: [{ expiresAt: { lte: expiredBy } }, { usedAt: { lte: usedBy } }] } })).count;
  }
}
