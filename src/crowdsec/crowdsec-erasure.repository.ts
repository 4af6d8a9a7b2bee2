import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** CrowdSec's side of erasure (src/crowdsec/crowdsec.erasure.ts). */
@Injectable()
export class CrowdsecErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ id: string; prefix: string }>('SELECT id::text AS id, prefix FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId]);
    return rows.flatMap((r) => [r.id, r.prefix]);
  }

  /** R7: bouncer keys, the stream cursors of those keys and of the organisation's watchers, their metrics. */
  async erase(organizationId: string, agentIds: readonly string[]): Promise<Record<string, number>> {
    return this.prisma.transaction(async (tx) => {
      const keys = (await tx.query<{ id: string }>('SELECT id::text AS id FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId])).map((r) => r.id);
      const cursors = [...keys.map((id) => `bouncer:${id}`), ...agentIds.map((id) => `watcher:${id}`)];
      return {
        crowdsec_cursor: await tx.execute('DELETE FROM crowdsec_cursor WHERE id = ANY($1::text[])', [cursors]),
        crowdsec_metrics: await tx.execute('DELETE FROM crowdsec_metrics WHERE agent_id::text = ANY($1::text[])', [agentIds]),
        crowdsec_bouncer_key: await tx.execute('DELETE FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId]),
      };
    });
  }
}
