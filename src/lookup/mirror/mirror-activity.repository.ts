import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

/** One mirror's syncs on one UTC day, as counted between flushes. */
export interface MirrorDay {
  organizationId: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  mirrorId: string;
  apiKeyId: string;
  firstMs: number;
  lastMs: number;
  syncs: number;
}

/** Active mirrors of an organisation on one day. */
export interface MirrorDayCount {
  day: string;
  mirrors: number;
  syncs: number;
}

@Injectable()
export class MirrorActivityRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds the counted syncs (one statement; increments, never overwrites). */
  async add(rows: readonly MirrorDay[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.db.execute(`
      INSERT INTO mirror_activity (organization_id, day, mirror_id, api_key_id, first_sync_at, last_sync_at, syncs)
      SELECT * FROM unnest($1::uuid[], $2::text[]::date[], $3::text[],
                           $4::uuid[], $5::text[]::timestamptz[],
                           $6::text[]::timestamptz[], $7::int[])
      ON CONFLICT (organization_id, day, mirror_id) DO UPDATE SET
        last_sync_at = greatest(mirror_activity.last_sync_at, EXCLUDED.last_sync_at),
        first_sync_at = least(mirror_activity.first_sync_at, EXCLUDED.first_sync_at),
        api_key_id = EXCLUDED.api_key_id,
        syncs = mirror_activity.syncs + EXCLUDED.syncs`, [rows.map((r) => r.organizationId), rows.map((r) => r.day), rows.map((r) => r.mirrorId), rows.map((r) => r.apiKeyId), rows.map((r) => new Date(r.firstMs).toISOString()), rows.map((r) => new Date(r.lastMs).toISOString()), rows.map((r) => r.syncs)]);
  }

  /** Active mirrors per UTC day in [from, to] (YYYY-MM-DD, inclusive). */
  async perDay(organizationId: string, from: string, to: string): Promise<MirrorDayCount[]> {
    const rows = await this.prisma.db.query<{ day: string; mirrors: string; syncs: string }>(`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::bigint AS mirrors, sum(syncs)::bigint AS syncs
      FROM mirror_activity WHERE organization_id = $1::uuid AND day >= $2::date AND day <= $3::date
      GROUP BY day ORDER BY day`, [organizationId, from, to]);
    return rows.map((r) => ({ day: r.day, mirrors: Number(r.mirrors), syncs: Number(r.syncs) }));
  }
}

