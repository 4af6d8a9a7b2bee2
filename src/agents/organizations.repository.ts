import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface OrganizationRecord {
  id: string;
  name: string;
  kind: 'customer' | 'community' | 'internal';
  createdAt: Date;
  erasedAt: Date | null;
  /** suspended by a staff operator (its API keys are refused), with the operator's reason */
  suspendedAt: Date | null;
  suspensionReason: string | null;
}

const recordOf = (row: { id: string; name: string; kind: OrganizationRecord['kind']; createdAt: Date; erasedAt: Date | null; suspendedAt: Date | null; suspensionReason: string | null }): OrganizationRecord => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  createdAt: row.createdAt,
  erasedAt: row.erasedAt,
  suspendedAt: row.suspendedAt,
  suspensionReason: row.suspensionReason,
});

export interface EnrollmentKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates an organisation with its own reporter pseudonym key. */
  async create(name: string, kind: OrganizationRecord['kind']): Promise<OrganizationRecord> {
    return this.prisma.transaction(async (tx) => {
      const row = await tx.prisma.organization.create({ data: { name, kind } });
      await tx.prisma.reporterKey.create({ data: { organizationId: row.id, secret: randomBytes(32) } });
      return recordOf(row);
    });
  }

  async findById(id: string): Promise<OrganizationRecord | null> {
    const row = await this.prisma.organization.findUnique({ where: { id } });
    return row ? recordOf(row) : null;
  }

  /**
   * Suspends (`at` and `reason`) or resumes (null) a live organisation, only from the other state, in
   * one conditional statement (two operators at once: one wins); false when nothing changed.
   */
  async setSuspension(id: string, suspension: { at: Date; reason: string } | null): Promise<boolean> {
    const { count } = await this.prisma.organization.updateMany({
      where: { id, erasedAt: null, suspendedAt: suspension ? null : { not: null } },
      data: { suspendedAt: suspension?.at ?? null, suspensionReason: suspension?.reason ?? null },
    });
    return count === 1;
  }

  /** Changes the kind; returns the previous one, or null when the organisation does not exist. */
  async setKind(id: string, kind: OrganizationRecord['kind']): Promise<OrganizationRecord['kind'] | null> {
    return this.prisma.transaction(async (tx) => {
      const row = await tx.prisma.organization.findUnique({ where: { id }, select: { kind: true, erasedAt: true } });
      if (!row || row.erasedAt) return null;
      await tx.prisma.organization.update({ where: { id }, data: { kind } });
      return row.kind;
    });
  }

  /** Ids of live organisations of one kind. */
  async idsOfKind(kind: OrganizationRecord['kind']): Promise<string[]> {
    const rows = await this.prisma.organization.findMany({ where: { kind, erasedAt: null }, select: { id: true }, orderBy: { id: 'asc' } });
    return rows.map((r) => r.id);
  }

  async createEnrollmentKey(organizationId: string, name: string, prefix: string, keyHash: string, expiresAt: Date | null): Promise<EnrollmentKeyRecord> {
    const row = await this.prisma.enrollmentKey.create({ data: { organizationId, name, prefix, keyHash, expiresAt } });
    return { id: row.id, organizationId, name, prefix, createdAt: row.createdAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
  }

  async listEnrollmentKeys(organizationId: string): Promise<EnrollmentKeyRecord[]> {
    const rows = await this.prisma.enrollmentKey.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => ({ id: row.id, organizationId, name: row.name, prefix: row.prefix, createdAt: row.createdAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt }));
  }

  async revokeEnrollmentKey(organizationId: string, id: string, now: Date): Promise<boolean> {
    const result = await this.prisma.enrollmentKey.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: now } });
    return result.count === 1;
  }

  /** The organisation's pseudonym key, or null once destroyed (crypto-shredding). */
  async reporterSecret(organizationId: string): Promise<Buffer | null> {
    const row = await this.prisma.reporterKey.findUnique({ where: { organizationId } });
    return row?.secret ? Buffer.from(row.secret) : null;
  }
}
