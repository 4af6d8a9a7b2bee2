import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Read side of organisations and agents for other domains (src/agents/organization-directory.ts). */
@Injectable()
export class OrganizationDirectoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** `search` matches anywhere in the name, any case; its `%`, `_` and backslash match themselves. */
  async customers(search: string | null, limit: number): Promise<Array<{ id: string; name: string; createdAt: Date }>> {
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
    const rows = await this.prisma.db.query<{ id: string; name: string; created_at: Date }>(
      `SELECT id::text AS id, name, created_at FROM organization
       WHERE kind = 'customer' AND erased_at IS NULL AND name ILIKE $1
       ORDER BY created_at DESC LIMIT $2`,
      [pattern, limit],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  activeAgents(): Promise<number> {
    return this.prisma.agent.count({ where: { status: 'active' } });
  }
}
