import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';
import type { UsageRow } from './usage-accumulator.js';

export interface UsageTotal {
  apiKeyId: string;
  hour: Date;
  lookups: number;
}

@Injectable()
export class UsageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds the counts to usage_counter in one statement (idempotent per flush: increments, never overwrites). */
  async add(rows: UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.$executeRaw`
      INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups)
      SELECT * FROM unnest(${rows.map((r) => r.organizationId)}::uuid[], ${rows.map((r) => r.apiKeyId)}::uuid[],
                           ${rows.map((r) => new Date(r.hourMs).toISOString())}::text[]::timestamptz[], ${rows.map((r) => r.lookups)}::bigint[])
      ON CONFLICT (api_key_id, hour) DO UPDATE SET lookups = usage_counter.lookups + EXCLUDED.lookups`;
  }

  async forOrganization(organizationId: string, from: Date, to: Date): Promise<UsageTotal[]> {
    const rows = await this.prisma.usageCounter.findMany({
      where: { organizationId, hour: { gte: from, lt: to } },
      orderBy: [{ hour: 'asc' }, { apiKeyId: 'asc' }],
    });
    return rows.map((r) => ({ apiKeyId: r.apiKeyId, hour: r.hour, lookups: Number(r.lookups) }));
  }
}
