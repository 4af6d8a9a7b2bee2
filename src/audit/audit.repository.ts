import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type AuditContent, auditHash, GENESIS_HASH, type StoredAuditEntry } from './audit-chain.js';
import { newSubjectSecret, subjectToken } from './audit-pseudonyms.js';

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Appends under a transaction-level lock so concurrent writers keep one linear chain. */
  async append(entry: AuditContent): Promise<StoredAuditEntry> {
    return this.prisma.transaction(async (tx) => {
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))`);
      const last = await tx.prisma.auditLog.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = auditHash(prevHash, entry);
      const row = await tx.prisma.auditLog.create({
        data: {
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
          prevHash,
          hash,
        },
      });
      return { id: row.id, at: row.at, actor: row.actor, action: row.action, target: row.target, details: row.details, prevHash, hash };
    });
  }

  async page(afterId: bigint, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.prisma.auditLog.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
    return rows.map((row) => ({ id: row.id, at: row.at, actor: row.actor, action: row.action, target: row.target, details: row.details, prevHash: row.prevHash, hash: row.hash }));
  }

  /** Where verification starts once old entries were pruned (GDPR R11): the last pruned id and hash. */
  async anchor(): Promise<{ afterId: bigint; hash: string } | null> {
    const row = await this.prisma.auditAnchor.findUnique({ where: { id: 1 } });
    return row ? { afterId: row.afterId, hash: row.hash } : null;
  }

  async recent(limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.prisma.auditLog.findMany({ orderBy: { id: 'desc' }, take: limit });
    return rows.map((row) => ({ id: row.id, at: row.at, actor: row.actor, action: row.action, target: row.target, details: row.details, prevHash: row.prevHash, hash: row.hash }));
  }

  /** Tokens of these subjects, creating a key for each new one (src/audit/audit-pseudonyms.ts). */
  async tokens(subjects: readonly string[]): Promise<Map<string, string>> {
    if (subjects.length === 0) return new Map();
    const fresh = subjects.map((subject) => {
      const secret = newSubjectSecret();
      return { subject, secret: new Uint8Array(secret), token: subjectToken(secret, subject) };
    });
    await this.prisma.auditSubjectKey.createMany({ data: fresh, skipDuplicates: true });
    const rows = await this.prisma.auditSubjectKey.findMany({ where: { subject: { in: [...subjects] } }, select: { subject: true, token: true } });
    return new Map(rows.map((r) => [r.subject, r.token]));
  }

  /** Subjects still present behind these tokens (token → subject). */
  async subjects(tokens: readonly string[]): Promise<Map<string, string>> {
    if (tokens.length === 0) return new Map();
    const rows = await this.prisma.auditSubjectKey.findMany({ where: { token: { in: [...tokens] } }, select: { subject: true, token: true } });
    return new Map(rows.map((r) => [r.token, r.subject]));
  }

  /** Crypto-shredding: the keys of these subjects are destroyed; their entries become unlinkable. */
  async shred(subjects: readonly string[]): Promise<number> {
    if (subjects.length === 0) return 0;
    return (await this.prisma.auditSubjectKey.deleteMany({ where: { subject: { in: [...subjects] } } })).count;
  }

  /**
   * R11: deletes entries older than the cutoff under the chain's lock and records the hash of the last
   * deleted entry as the anchor, so the remaining chain still verifies from its first row.
   */
  async prune(cutoff: Date, now: Date): Promise<number> {
    return this.prisma.transaction(async (tx) => {
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))`);
      const last = await tx.prisma.auditLog.findFirst({ where: { at: { lt: cutoff } }, orderBy: { id: 'desc' }, select: { id: true, hash: true } });
      if (!last) return 0;
      const deleted = await tx.prisma.auditLog.deleteMany({ where: { id: { lte: last.id } } });
      await tx.prisma.auditAnchor.upsert({ where: { id: 1 }, create: { id: 1, afterId: last.id, hash: last.hash, prunedAt: now }, update: { afterId: last.id, hash: last.hash, prunedAt: now } });
      return deleted.count;
    });
  }

  async oldest(): Promise<Date | null> {
    return (await this.prisma.auditLog.findFirst({ orderBy: { id: 'asc' }, select: { at: true } }))?.at ?? null;
  }
}
