import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { AgentKindName, AgentStatusName } from './agent.types.js';

export interface RosterRow {
  id: string;
  name: string;
  kind: AgentKindName;
  status: AgentStatusName;
  organizationId: string;
  organizationName: string;
  organizationKind: 'customer' | 'community' | 'internal';
  asn: number | null;
  country: string | null;
  enrolledAt: Date;
  lastSignalAt: Date | null;
  revokedAt: Date | null;
}

/** Agents of every organisation not erased, for the operator console (agent and organization are agents' tables). */
@Injectable()
export class AgentRosterRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(filter: { status?: AgentStatusName; search?: string }, limit: number): Promise<RosterRow[]> {
    const rows = await this.prisma.agent.findMany({
      where: {
        organization: { erasedAt: null },
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.search
          ? { OR: [{ name: { contains: filter.search, mode: 'insensitive' } }, { organization: { name: { contains: filter.search, mode: 'insensitive' } } }] }
          : {}),
      },
      include: { organization: { select: { name: true, kind: true } } },
      orderBy: [{ lastSignalAt: { sort: 'desc', nulls: 'last' } }, { enrolledAt: 'desc' }],
      take: limit,
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      organizationId: r.organizationId,
      organizationName: r.organization.name,
      organizationKind: r.organization.kind,
      asn: r.asn,
      country: r.country,
      enrolledAt: r.enrolledAt,
      lastSignalAt: r.lastSignalAt,
      revokedAt: r.revokedAt,
    }));
  }
}
