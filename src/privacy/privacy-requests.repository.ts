import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export type PrivacyRequestKind = 'organization_erasure' | 'ip_access' | 'ip_erasure' | 'ip_objection';
/** `superseded`: a pending request whose IP was erased by another request (its raw IP is dropped at once). */
export type PrivacyRequestStatus = 'pending_proof' | 'processing' | 'completed' | 'refused' | 'superseded';

export interface PrivacyRequestRecord {
  id: string;
  kind: PrivacyRequestKind;
  subject: string;
  ip: string | null;
  status: PrivacyRequestStatus;
  tokenHash: string | null;
  grounds: string | null;
  outcome: unknown;
  createdAt: Date;
  verifiedAt: Date | null;
  closedAt: Date | null;
}

type Row = Omit<PrivacyRequestRecord, 'kind' | 'status'> & { kind: string; status: string };

function toRecord(row: Row): PrivacyRequestRecord {
  return { ...row, kind: row.kind as PrivacyRequestKind, status: row.status as PrivacyRequestStatus };
}

@Injectable()
export class PrivacyRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: { kind: PrivacyRequestKind; subject: string; ip: string | null; status: PrivacyRequestStatus; tokenHash: string | null; now: Date }): Promise<PrivacyRequestRecord> {
    const row = await this.prisma.privacyRequest.create({
      data: { kind: data.kind, subject: data.subject, ip: data.ip, status: data.status, tokenHash: data.tokenHash, createdAt: data.now },
    });
    return toRecord(row);
  }

  async find(id: string): Promise<PrivacyRequestRecord | null> {
    const row = await this.prisma.privacyRequest.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async countRecent(subject: string, since: Date): Promise<number> {
    return this.prisma.privacyRequest.count({ where: { subject, createdAt: { gte: since } } });
  }

  /** Closes a request; the raw IP and the token are dropped at once. */
  async close(id: string, status: 'completed' | 'refused', now: Date, outcome: Record<string, unknown>, grounds: string | null = null): Promise<PrivacyRequestRecord> {
    const row = await this.prisma.privacyRequest.update({
      where: { id },
      data: { status, closedAt: now, verifiedAt: now, ip: null, tokenHash: null, grounds, outcome: outcome as Prisma.InputJsonValue },
    });
    return toRecord(row);
  }

  /** R9: other requests still pending for an erased address drop its raw IP and token at once. */
  async supersedePending(address: string, requestId: string | null, now: Date): Promise<number> {
    const result = await this.prisma.privacyRequest.updateMany({
      where: { status: 'pending_proof', ip: address, ...(requestId ? { id: { not: requestId } } : {}) },
      data: { ip: null, tokenHash: null, status: 'superseded', closedAt: now, outcome: { superseded_by: requestId ?? 'erasure-ledger-replay' } },
    });
    return result.count;
  }

  /** Closed requests after their period; never-proven ones (they hold the raw IP) after 7 days. */
  async deleteExpired(closedBefore: Date, pendingBefore: Date): Promise<number> {
    const closed = await this.prisma.privacyRequest.deleteMany({ where: { closedAt: { lt: closedBefore } } });
    const pending = await this.prisma.privacyRequest.deleteMany({ where: { closedAt: null, createdAt: { lt: pendingBefore } } });
    return closed.count + pending.count;
  }

  async oldest(): Promise<Date | null> {
    const rows = await this.prisma.db.query<{ d: Date | null }>('SELECT min(coalesce(closed_at, created_at)) AS d FROM privacy_request');
    return rows[0]?.d ?? null;
  }
}
