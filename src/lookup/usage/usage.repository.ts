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
    await this.prisma.db.execute(`
      INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups)
      SELECT * FROM unnest($1::uuid[], $2::uuid[],
                           $3::text[]::timestamptz[], $4::bigint[])
      ON CONFLICT (api_key_id, hour) DO UPDATE SET lookups = usage_counter.lookups + EXCLUDED.lookups`, [rows.map((r) => r.organizationId), rows.map((r) => r.apiKeyId), rows.map((r) => new Date(r.hourMs).toISOString()), rows.map((r) => r.lookups)]);
  }

  /** Lookups per API key per UTC day, with the key's prefix and name (revoked keys included). */
  async dailyForOrganization(organizationId: string, from: Date, to: Date): Promise<Array<{ day: string; apiKeyId: string; prefix: string; name: string; lookups: number }>> {
    const rows = await this.prisma.db.query<{ day: string; api_key_id: string; prefix: string; name: string; lookups: string }>(`
      SELECT to_char(u.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, u.api_key_id::text AS api_key_id, k.prefix, k.name, sum(u.lookups)::bigint AS lookups
      FROM usage_counter u JOIN api_key k ON k.id = u.api_key_id
      WHERE u.organization_id = $1::uuid AND u.hour >= $2 AND u.hour < $3
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`, [organizationId, from, to]);
    return rows.map((r) => ({ day: r.day, apiKeyId: r.api_key_id, prefix: r.prefix, name: r.name, lookups: Number(r.lookups) }));
  }

  async forOrganization(organizationId: string, from: Date, to: Date): Promise<UsageTotal[]> {
    const rows = await this.prisma.usageCounter.findMany({
      where: { organizationId, hour: { gte: from, lt: to } },
      orderBy: [{ hour: 'asc' }, { apiKeyId: 'asc' }],
    });
    return rows.map((r) => ({ apiKeyId: r.apiKeyId, hour: r.hour, lookups: Number(r.lookups) }));
  }
}
