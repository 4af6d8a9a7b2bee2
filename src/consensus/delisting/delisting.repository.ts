import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export type DelistingStatus = 'pending_proof' | 'awaiting_review' | 'verified' | 'suppressed' | 'upheld' | 'rejected' | 'expired';

/** How the holder showed control of the IP, or `review` when it asked for a reasoned review instead. */
export type ProofMethod = 'http' | 'https' | 'agent' | 'review';

export const DELISTING_STATUSES: readonly DelistingStatus[] = ['pending_proof', 'awaiting_review', 'verified', 'suppressed', 'upheld', 'rejected', 'expired'];

export interface DelistingRecord {
  id: string;
  ipKey: string;
  ip: string;
  status: DelistingStatus;
  tokenHash: string;
  proofMethod: ProofMethod | null;
  reason: string | null;
  contact: string | null;
  reviewRequestedAt: Date | null;
  createdAt: Date;
  verifiedAt: Date | null;
  suppressedUntil: Date | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  justification: string | null;
  closedAt: Date | null;
  escalatedAt: Date | null;
}

/** Requests waiting for an operator's review: proven ones, and reasoned ones without proof. */
const UNREVIEWED = ['verified', 'suppressed', 'awaiting_review'];

/** Waiting since: proof for proven requests, the review request for reasoned ones. */
const waitingSince = (cutoff: Date) => [{ verifiedAt: { lt: cutoff } }, { status: 'awaiting_review', reviewRequestedAt: { lt: cutoff } }];

export interface UnreviewedStats {
  waiting: number;
  escalated: number;
  oldestWaitingSince: Date | null;
}

function toRecord(row: { status: string; proofMethod: string | null } & Omit<DelistingRecord, 'status' | 'proofMethod'>): DelistingRecord {
  return { ...row, status: row.status as DelistingStatus, proofMethod: row.proofMethod as ProofMethod | null };
}

export interface NewDelisting {
  ip: string;
  ipKey: string;
  tokenHash: string;
  reason: string | null;
  contact: string | null;
}

@Injectable()
export class DelistingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(request: NewDelisting): Promise<DelistingRecord> {
    const row = await this.prisma.delistingRequest.create({ data: { ...request, status: 'pending_proof' } });
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

  /** Proof shown: the request moves on to suppression and review (from pending, or from a reasoned request). */
  async markVerified(id: string, now: Date, method: Exclude<ProofMethod, 'review'>): Promise<boolean> {
    const result = await this.prisma.delistingRequest.updateMany({
      where: { id, status: { in: ['pending_proof', 'awaiting_review'] } },
      data: { status: 'verified', verifiedAt: now, proofMethod: method },
    });
    return result.count === 1;
  }

  /** No proof possible: the holder's reasons go to an operator, without suppressing the listing meanwhile. */
  async requestReview(id: string, reason: string, contact: string | null, now: Date): Promise<boolean> {
    const result = await this.prisma.delistingRequest.updateMany({
      where: { id, status: 'pending_proof' },
      data: { status: 'awaiting_review', reviewRequestedAt: now, proofMethod: 'review', reason, ...(contact ? { contact } : {}) },
    });
    return result.count === 1;
  }

  /** The decision clears the holder's contact: nobody needs to reach them once it is made. */
  async decide(id: string, outcome: 'upheld' | 'rejected', by: string, justification: string, now: Date): Promise<boolean> {
    const result = await this.prisma.delistingRequest.updateMany({
      where: { id, status: { in: UNREVIEWED } },
      data: { status: outcome, decidedAt: now, decidedBy: by, justification, contact: null },
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

  /**
   * Closes a request the engine applied. An upheld one takes the IP's listing explanations (the voters
   * behind the listing) with it, once the review closes; the outcome stays in the audit log
   * (docs/privacy.md, R4).
   */
  async markApplied(id: string, now: Date): Promise<void> {
    await this.prisma.transaction(async (tx) => {
      const closed = await tx.prisma.delistingRequest.update({ where: { id }, data: { closedAt: now } });
      if (closed.status === 'upheld') await tx.prisma.listingExplanation.deleteMany({ where: { ipKey: closed.ipKey, createdAt: { lte: now } } });
    });
  }

  /**
   * Requests the engine already applied since `since`, for replay after a rebuild: proven ones by their
   * proof, reasoned reviews (never proven) by their decision.
   */
  async appliedSince(since: Date): Promise<DelistingRecord[]> {
    const rows = await this.prisma.delistingRequest.findMany({
      where: { status: { in: ['suppressed', 'upheld', 'rejected'] }, OR: [{ verifiedAt: { gte: since } }, { verifiedAt: null, decidedAt: { gte: since } }] },
      orderBy: [{ verifiedAt: { sort: 'asc', nulls: 'last' } }, { decidedAt: 'asc' }],
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
      where: { status: { in: UNREVIEWED }, escalatedAt: null, OR: waitingSince(verifiedBefore) },
      data: { escalatedAt: now },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Closes unreviewed requests proven before the cutoff as `expired`; returns their ids. */
  async expireUnreviewed(verifiedBefore: Date, now: Date, justification: string): Promise<string[]> {
    const rows = await this.prisma.delistingRequest.updateManyAndReturn({
      where: { status: { in: UNREVIEWED }, OR: waitingSince(verifiedBefore) },
      data: { status: 'expired', closedAt: now, decidedAt: now, decidedBy: 'rule:unreviewed-expiry', justification, contact: null },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async unreviewedStats(): Promise<UnreviewedStats> {
    const [waiting, escalated, oldest] = await Promise.all([
      this.prisma.delistingRequest.count({ where: { status: { in: UNREVIEWED } } }),
      this.prisma.delistingRequest.count({ where: { status: { in: UNREVIEWED }, escalatedAt: { not: null } } }),
      this.prisma.delistingRequest.aggregate({ where: { status: { in: UNREVIEWED } }, _min: { verifiedAt: true, reviewRequestedAt: true } }),
    ]);
    const since = [oldest._min.verifiedAt, oldest._min.reviewRequestedAt].filter((d): d is Date => d !== null);
    return { waiting, escalated, oldestWaitingSince: since.length > 0 ? new Date(Math.min(...since.map((d) => d.getTime()))) : null };
  }

  async countRecentForIp(ipKey: string, since: Date): Promise<number> {
    return this.prisma.delistingRequest.count({ where: { ipKey, createdAt: { gte: since } } });
  }
}
