import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ClosedDecision, StreamCursor } from './decision-stream.js';

export interface BouncerKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastPullAt: Date | null;
}

// Read-only use of the blocklist history: rows held at `$1` and closed in ($1, $2] (index on removed_in).
const CLOSED_SINCE = `
SELECT value, scope, scenario_class, (extract(epoch FROM until) * 1000)::float8 AS until_ms, added_in, removed_in
FROM blocklist_entry WHERE removed_in > $1 AND removed_in <= $2 AND added_in <= $1`;

/** CrowdSec delivery state (cursors), bouncer keys and metrics; history reads of the blocklist. */
@Injectable()
export class CrowdsecRepository {
  constructor(private readonly prisma: PrismaService) {}

  async cursor(id: string): Promise<StreamCursor | null> {
    const row = await this.prisma.crowdsecCursor.findUnique({ where: { id } });
    return row ? { version: row.version, pulledAtMs: row.pulledAt.getTime() } : null;
  }

  async saveCursor(id: string, version: number, pulledAt: Date): Promise<void> {
    await this.prisma.crowdsecCursor.upsert({ where: { id }, create: { id, version, pulledAt }, update: { version, pulledAt } });
  }

  async closedSince(fromVersion: number, toVersion: number): Promise<ClosedDecision[]> {
    if (toVersion <= fromVersion) return [];
    const result = await this.prisma.pool.query<{
      value: string;
      scope: 'ip' | 'range';
      scenario_class: string;
      until_ms: number;
      added_in: number;
      removed_in: number;
    }>(CLOSED_SINCE, [fromVersion, toVersion]);
    return result.rows.map((r) => ({
      value: r.value,
      scope: r.value.includes('/') ? 'range' : r.scope,
      scenarioClass: r.scenario_class,
      until: new Date(r.until_ms),
      addedInVersion: r.added_in,
      removedInVersion: r.removed_in,
    }));
  }

  /** When a version was published, or null when it is not (or no longer) in the kept history. */
  async versionCreatedAt(version: number): Promise<Date | null> {
    const result = await this.prisma.pool.query<{ created_at: Date }>('SELECT created_at FROM blocklist_version WHERE id = $1', [version]);
    return result.rows[0]?.created_at ?? null;
  }

  async createBouncerKey(organizationId: string, name: string, prefix: string, keyHash: string): Promise<BouncerKeyRecord> {
    return this.prisma.crowdsecBouncerKey.create({ data: { organizationId, name, prefix, keyHash } });
  }

  async findBouncerKeyByHash(keyHash: string): Promise<BouncerKeyRecord | null> {
    return this.prisma.crowdsecBouncerKey.findUnique({ where: { keyHash } });
  }

  listBouncerKeys(organizationId: string): Promise<BouncerKeyRecord[]> {
    return this.prisma.crowdsecBouncerKey.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
  }

  async revokeBouncerKey(organizationId: string, id: string, now: Date): Promise<boolean> {
    const result = await this.prisma.crowdsecBouncerKey.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: now } });
    return result.count === 1;
  }

  async recordBouncerPull(id: string, now: Date, userAgent: string | null): Promise<void> {
    await this.prisma.crowdsecBouncerKey.update({ where: { id }, data: { lastPullAt: now, userAgent } });
  }

  async organizationActive(organizationId: string): Promise<boolean> {
    const row = await this.prisma.organization.findUnique({ where: { id: organizationId }, select: { erasedAt: true } });
    return row !== null && row.erasedAt === null;
  }

  async saveMetrics(agentId: string, kind: 'metrics' | 'usage', payload: unknown, now: Date): Promise<void> {
    const json = payload as Prisma.InputJsonValue;
    await this.prisma.crowdsecMetrics.upsert({
      where: { agentId_kind: { agentId, kind } },
      create: { agentId, kind, receivedAt: now, payload: json },
      update: { receivedAt: now, payload: json },
    });
  }
}
