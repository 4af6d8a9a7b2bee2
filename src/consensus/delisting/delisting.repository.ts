import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export type DelistingStatus = 'pending_proof' | 'verified' | 'suppressed' | 'upheld' | 'rejected' | 'expired';

export interface DelistingRecord {
  id: string;
  ipKey: string;
  ip: string;
  status: DelistingStatus;
  tokenHash: string;
  createdAt: Date;
  verifiedAt: Date | null;
  suppressedUntil: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  justification: string | null;
  closedAt: Date | null;
  escalatedAt: Date | null;
}

/** Proven requests waiting for an operator's review. */
const UNREVIEWED = ['verified', 'suppressed'];

export interface UnreviewedStats {
  waiting: number;
  escalated: number;
  oldestVerifiedAt: Date | null;
}

function toRecord(row: { status: string } & Omit<DelistingRecord, 'status'>): DelistingRecord {
  return { ...row, status: row.status as DelistingStatus };
}

@Injectable()
export class DelistingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(ip: string, ipKey: string, tokenHash: string): Promise<DelistingRecord> {
    const row = await this.prisma.delistingRequest.create({ data: { ip, ipKey, tokenHash, status: 'pending_proof' } });
    return toRecord(row);
  }

  async find(id: string): Promise<DelistingRecord | null> {
    const row = await this.prisma.delistingRequest.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async list(status: DelistingStatus | undefined, limit: number): Promise<DelistingRecord[]> {
    const rows = await this.prisma.delistingRequest.findMany({ where: status ? { status } : {}, orderBy: { createdAt: 'desc' }, take: limit });
    return rows.map(toRecord);
  }

  async markVerified(id: string, now: Date): Promise<boolean> {
    const result = await this.prisma.delistingRequest.updateMany({ where: { id, status: 'pending_proof' }, data: { status: 'verified', verifiedAt: now } });
    return result.count === 1;
  }

  async decide(id: string, outcome: 'upheld' | 'rejected', by: string, justification: string, now: Date): Promise<boolean> {
    const result = await this.prisma.delistingRequest.updateMany({
      where: { id, status: { in: ['verified', 'suppressed'] } },
      data: { status: outcome, decidedAt: now, decidedBy: by, justification },
    });
    return result.count === 1;
  }

  /** Verified requests the engine has not applied yet, and decisions it has not applied yet. */
  async pendingForEngine(): Promise<{ verified: DelistingRecord[]; decided: DelistingRecord[] }> {
    const verified = await this.prisma.delistingRequest.findMany({ where: { status: 'verified' }, orderBy: { verifiedAt: 'asc' } });
    const decided = await this.prisma.delistingRequest.findMany({ where: { status: { in: ['upheld', 'rejected'] }, closedAt: null }, orderBy: { decidedAt: 'asc' } });
    return { verified: verified.map(toRecord), decided: decided.map(toRecord) };
  }

  async markSuppressed(id: string, until: Date | null): Promise<void> {
    await this.prisma.delistingRequest.updateMany({ where: { id, status: 'verified' }, data: { status: 'suppressed', suppressedUntil: until } });
  }

  async markApplied(id: string, now: Date): Promise<void> {
    await this.prisma.delistingRequest.update({ where: { id }, data: { closedAt: now } });
  }

  /** Requests the engine already applied since `since`, for replay after a rebuild. */
  async appliedSince(since: Date): Promise<DelistingRecord[]> {
    const rows = await this.prisma.delistingRequest.findMany({
      where: { status: { in: ['suppressed', 'upheld', 'rejected'] }, verifiedAt: { gte: since } },
      orderBy: { verifiedAt: 'asc' },
    });
    return rows.map(toRecord);
  }

  /** Deletes requests whose proof was never served, created before the cutoff. */
  async deleteUnproven(createdBefore: Date): Promise<number> {
    const result = await this.prisma.delistingRequest.deleteMany({ where: { status: 'pending_proof', createdAt: { lt: createdBefore } } });
    return result.count;
  }

  /** Flags unreviewed requests proven before the cutoff; returns the ids flagged now. */
  async escalate(verifiedBefore: Date, now: Date): Promise<string[]> {
    const rows = await this.prisma.delistingRequest.updateManyAndReturn({
      where: { status: { in: UNREVIEWED }, escalatedAt: null, verifiedAt: { lt: verifiedBefore } },
      data: { escalatedAt: now },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Closes unreviewed requests proven before the cutoff as `expired`; returns their ids. */
  async expireUnreviewed(verifiedBefore: Date, now: Date, justification: string): Promise<string[]> {
    const rows = await this.prisma.delistingRequest.updateManyAndReturn({
      where: { status: { in: UNREVIEWED }, verifiedAt: { lt: verifiedBefore } },
      data: { status: 'expired', closedAt: now, decidedAt: now, decidedBy: 'rule:unreviewed-expiry', justification },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async unreviewedStats(): Promise<UnreviewedStats> {
    const [waiting, escalated, oldest] = await Promise.all([
      this.prisma.delistingRequest.count({ where: { status: { in: UNREVIEWED } } }),
      this.prisma.delistingRequest.count({ where: { status: { in: UNREVIEWED }, escalatedAt: { not: null } } }),
      this.prisma.delistingRequest.aggregate({ where: { status: { in: UNREVIEWED } }, _min: { verifiedAt: true } }),
    ]);
    return { waiting, escalated, oldestVerifiedAt: oldest._min.verifiedAt };
  }

  async countRecentForIp(ipKey: string, since: Date): Promise<number> {
    return this.prisma.delistingRequest.count({ where: { ipKey, createdAt: { gte: since } } });
  }
}
