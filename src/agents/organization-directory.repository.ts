import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export type DirectoryKind = 'customer' | 'community' | 'internal';

export interface DirectoryOrganization {
  id: string;
  name: string;
  kind: DirectoryKind;
  createdAt: Date;
  suspendedAt: Date | null;
}

/** Read side of organisations and agents for other domains (src/agents/organization-directory.ts). */
@Injectable()
export class OrganizationDirectoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** `search` matches anywhere in the name, any case; its `%`, `_` and backslash match themselves. */
  async organizations(kind: DirectoryKind, search: string | null, limit: number): Promise<DirectoryOrganization[]> {
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
    const rows = await this.prisma.db.query<{ id: string; name: string; kind: DirectoryKind; created_at: Date; suspended_at: Date | null }>(
      `SELECT id::text AS id, name, kind::text AS kind, created_at, suspended_at FROM organization
       WHERE kind::text = $1 AND erased_at IS NULL AND name ILIKE $2
       ORDER BY created_at DESC LIMIT $3`,
      [kind, pattern, limit],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, createdAt: r.created_at, suspendedAt: r.suspended_at }));
  }

  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.db.query<{ id: string; name: string }>(
      'SELECT id::text AS id, name FROM organization WHERE id::text = ANY($1::text[]) AND erased_at IS NULL',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  activeAgents(): Promise<number> {
    return this.prisma.agent.count({ where: { status: 'active' } });
  }
}
