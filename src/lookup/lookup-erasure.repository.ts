import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

const BATCH = 5_000;

/** Lookup's side of erasure and retention (src/lookup/lookup.erasure.ts). */
@Injectable()
export class LookupErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ id: string; prefix: string }>('SELECT id::text AS id, prefix FROM api_key WHERE organization_id = $1', [organizationId]);
    return rows.flatMap((r) => [r.id, r.prefix]);
  }

  /**
   * R7: API keys and the plan row go; usage counters and mirror activity are billing records (tax law)
   * and stay, usage folded into one row per hour whose key column holds the organisation id: no key id remains.
   */
  async erase(organizationId: string): Promise<Record<string, number>> {
    return this.prisma.transaction(async (tx) => {
      const folded = await tx.execute(
        `WITH gone AS (DELETE FROM usage_counter WHERE organization_id = $1 AND api_key_id <> $1 RETURNING hour, lookups)
         INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups)
         SELECT $1, $1, hour, sum(lookups) FROM gone GROUP BY hour
         ON CONFLICT (api_key_id, hour) DO UPDATE SET lookups = usage_counter.lookups + EXCLUDED.lookups`,
        [organizationId],
      );
      // Active-mirror metering (rows per organisation per day) keeps its count; the key and mirror ids go.
      const mirrors = await tx.execute(
        `UPDATE mirror_activity SET api_key_id = organization_id, mirror_id = 'erased-' || md5(mirror_id || gen_random_uuid()::text)
         WHERE organization_id = $1 AND api_key_id <> organization_id`,
        [organizationId],
      );
      return {
        mirror_activity: mirrors,
        usage_counter_folded: folded,
        api_key: await tx.execute('DELETE FROM api_key WHERE organization_id = $1', [organizationId]),
        organization_plan: await tx.execute('DELETE FROM organization_plan WHERE organization_id = $1', [organizationId]),
      };
    });
  }

  /** Usage records: QUORUM_RETENTION_USAGE_DAYS (billing). */
  async deleteUsageBefore(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.db.execute('DELETE FROM usage_counter WHERE ctid IN (SELECT ctid FROM usage_counter WHERE hour < $1 LIMIT $2)', [cutoff, BATCH]);
      total += n;
      if (n < BATCH) return total;
    }
  }

  async oldest(): Promise<Date | null> {
    return (await this.prisma.db.query<{ d: Date | null }>('SELECT min(hour) AS d FROM usage_counter'))[0].d;
  }
}
