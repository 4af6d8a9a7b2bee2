import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type AuditContent, auditHash, GENESIS_HASH, type StoredAuditEntry } from './audit-chain.js';
import { newSubjectSecret, subjectToken } from './audit-pseudonyms.js';

/** What an audit search matches: parts of the text (case-insensitive) and a time range [from, to). */
export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  from?: Date;
  to?: Date;
}

/**
 * Matching entries with ids in [$1, $2), newest first. An actor or target is matched as it reads once
 * resolved (docs/privacy.md R11): `kind:~token` of a subject still present reads `kind:<identifier>`
 * (its key found by the unique index on the token); an erased subject's stays the token. Each statement
 * walks one id span of the primary key.
 */
const SEARCH = `
SELECT l.id::text AS id, l.at, l.actor, l.action, l.target, l.details, l.prev_hash, l.hash
FROM audit_log l
LEFT JOIN audit_subject_key ka ON $3::text IS NOT NULL AND ka.token = substr(l.actor, strpos(l.actor, ':') + 1)
LEFT JOIN audit_subject_key kt ON $5::text IS NOT NULL AND l.target IS NOT NULL AND kt.token = substr(l.target, strpos(l.target, ':') + 1)
WHERE l.id >= $1::bigint AND l.id < $2::bigint
  AND ($6::timestamptz IS NULL OR l.at >= $6::timestamptz) AND ($7::timestamptz IS NULL OR l.at < $7::timestamptz)
  AND ($4::text IS NULL OR strpos(lower(l.action), lower($4::text)) > 0)
  AND ($3::text IS NULL OR strpos(lower(CASE WHEN ka.subject IS NULL THEN l.actor ELSE left(l.actor, strpos(l.actor, ':')) || ka.subject END), lower($3::text)) > 0)
  AND ($5::text IS NULL OR strpos(lower(CASE WHEN kt.subject IS NULL THEN coalesce(l.target, '') ELSE left(l.target, strpos(l.target, ':')) || kt.subject END), lower($5::text)) > 0)
ORDER BY l.id DESC
LIMIT $8`;

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

  /** The lowest and the next id of the log (null when empty). */
  async idBounds(): Promise<{ low: bigint; high: bigint } | null> {
    const [row] = await this.prisma.db.query<{ low: string | null; high: string | null }>('SELECT min(id)::text AS low, max(id)::text AS high FROM audit_log');
    return row.low === null || row.high === null ? null : { low: BigInt(row.low), high: BigInt(row.high) + 1n };
  }

  /** Up to `limit` entries matching `filter` with ids in [low, high), newest first, as stored (pseudonymous). */
  async search(filter: AuditFilter, low: bigint, high: bigint, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.prisma.db.query<{ id: string; at: Date; actor: string; action: string; target: string | null; details: unknown; prev_hash: string; hash: string }>(SEARCH, [
      low.toString(),
      high.toString(),
      filter.actor ?? null,
      filter.action ?? null,
      filter.target ?? null,
      filter.from ?? null,
      filter.to ?? null,
      limit,
    ]);
    return rows.map((r) => ({ id: BigInt(r.id), at: r.at, actor: r.actor, action: r.action, target: r.target, details: r.details, prevHash: r.prev_hash, hash: r.hash }));
  }

  /** Whether an entry below id `below` is at or after `from` (the at index): when none, an older search would find nothing. */
  async anyAtOrAfter(from: Date, below: bigint): Promise<boolean> {
    const rows = await this.prisma.db.query('SELECT 1 FROM audit_log WHERE at >= $1 AND id < $2::bigint LIMIT 1', [from, below.toString()]);
    return rows.length > 0;
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
