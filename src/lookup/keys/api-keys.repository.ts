import { Injectable } from '@nestjs/common';
import type { ApiKey as ApiKeyRow } from '../../generated/prisma/client.js';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export interface ApiKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  /** refused from then on; null: until revoked */
  expiresAt: Date | null;
}

export interface NewApiKey {
  organizationId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  expiresAt: Date | null;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    prefix: row.prefix,
    keyHash: row.keyHash,
    scopes: row.scopes,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    expiresAt: row.expiresAt,
  };
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(input: NewApiKey): Promise<ApiKeyRecord> {
    return toRecord(await this.prisma.apiKey.create({ data: input }));
  }

  async listByOrganization(organizationId: string): Promise<ApiKeyRecord[]> {
    return (await this.prisma.apiKey.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } })).map(toRecord);
  }

  /** The active key with this hash: neither revoked nor expired at `now`. */
  async findActiveByHash(keyHash: string, now: Date): Promise<ApiKeyRecord | null> {
    const row = await this.prisma.apiKey.findUnique({ where: { keyHash } });
    return row && !row.revokedAt && !(row.expiresAt && row.expiresAt <= now) ? toRecord(row) : null;
  }

  /** Revokes one key of the organisation; null when unknown or already revoked. */
  async revoke(organizationId: string, id: string, now: Date): Promise<ApiKeyRecord | null> {
    const result = await this.prisma.apiKey.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: now } });
    if (result.count !== 1) return null;
    const row = await this.prisma.apiKey.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** Revokes every active key of the organisation; returns the hashes revoked. */
  async revokeAll(organizationId: string, now: Date): Promise<string[]> {
    return this.prisma.transaction(async (tx) => {
      const active = await tx.prisma.apiKey.findMany({ where: { organizationId, revokedAt: null }, select: { keyHash: true } });
      await tx.prisma.apiKey.updateMany({ where: { organizationId, revokedAt: null }, data: { revokedAt: now } });
      return active.map((k) => k.keyHash);
    });
  }
}
