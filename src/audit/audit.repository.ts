import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type AuditContent, auditHash, GENESIS_HASH, type StoredAuditEntry } from './audit-chain.js';

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Appends under a transaction-level lock so concurrent writers keep one linear chain. */
  async append(entry: AuditContent): Promise<StoredAuditEntry> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))`;
      const last = await tx.auditLog.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = auditHash(prevHash, entry);
      const row = await tx.auditLog.create({
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
}
