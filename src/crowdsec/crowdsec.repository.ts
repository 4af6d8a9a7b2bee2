import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { StreamCursor } from './decision-stream.js';

export interface BouncerKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastPullAt: Date | null;
}

/** CrowdSec delivery state (cursors), bouncer keys and metrics. The blocklist's history is read through BlocklistVersions. */
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

  async saveMetrics(agentId: string, kind: 'metrics' | 'usage', payload: unknown, now: Date): Promise<void> {
    const json = payload as Prisma.InputJsonValue;
    await this.prisma.crowdsecMetrics.upsert({
      where: { agentId_kind: { agentId, kind } },
      create: { agentId, kind, receivedAt: now, payload: json },
      update: { receivedAt: now, payload: json },
    });
  }
}
