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
    await this.prisma.$executeRaw`
      INSERT INTO mirror_activity (organization_id, day, mirror_id, api_key_id, first_sync_at, last_sync_at, syncs)
      SELECT * FROM unnest(${rows.map((r) => r.organizationId)}::uuid[], ${rows.map((r) => r.day)}::text[]::date[], ${rows.map((r) => r.mirrorId)}::text[],
                           ${rows.map((r) => r.apiKeyId)}::uuid[], ${rows.map((r) => new Date(r.firstMs).toISOString())}::text[]::timestamptz[],
                           ${rows.map((r) => new Date(r.lastMs).toISOString())}::text[]::timestamptz[], ${rows.map((r) => r.syncs)}::int[])
      ON CONFLICT (organization_id, day, mirror_id) DO UPDATE SET
        last_sync_at = greatest(mirror_activity.last_sync_at, EXCLUDED.last_sync_at),
        first_sync_at = least(mirror_activity.first_sync_at, EXCLUDED.first_sync_at),
        api_key_id = EXCLUDED.api_key_id,
        syncs = mirror_activity.syncs + EXCLUDED.syncs`;
  }

  /** Active mirrors per UTC day in [from, to] (YYYY-MM-DD, inclusive). */
  async perDay(organizationId: string, from: string, to: string): Promise<MirrorDayCount[]> {
    const rows = await this.prisma.$queryRaw<Array<{ day: string; mirrors: bigint; syncs: bigint }>>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::bigint AS mirrors, sum(syncs)::bigint AS syncs
      FROM mirror_activity WHERE organization_id = ${organizationId}::uuid AND day >= ${from}::date AND day <= ${to}::date
      GROUP BY day ORDER BY day`;
    return rows.map((r) => ({ day: r.day, mirrors: Number(r.mirrors), syncs: Number(r.syncs) }));
  }
}

