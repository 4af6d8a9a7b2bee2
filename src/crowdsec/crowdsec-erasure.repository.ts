import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { inPgTransaction } from '../infra/prisma/pg-transaction.js';

/** CrowdSec's side of erasure (src/crowdsec/crowdsec.erasure.ts). */
@Injectable()
export class CrowdsecErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const { rows } = await this.prisma.pool.query<{ id: string; prefix: string }>('SELECT id::text AS id, prefix FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId]);
    return rows.flatMap((r) => [r.id, r.prefix]);
  }

  /** R7: bouncer keys, the stream cursors of those keys and of the organisation's watchers, their metrics. */
  async erase(organizationId: string, agentIds: readonly string[]): Promise<Record<string, number>> {
    return inPgTransaction(this.prisma.pool, async (client) => {
      const keys = (await client.query<{ id: string }>('SELECT id::text AS id FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId])).rows.map((r) => r.id);
      const cursors = [...keys.map((id) => `bouncer:${id}`), ...agentIds.map((id) => `watcher:${id}`)];
      return {
        crowdsec_cursor: (await client.query('DELETE FROM crowdsec_cursor WHERE id = ANY($1::text[])', [cursors])).rowCount ?? 0,
        crowdsec_metrics: (await client.query('DELETE FROM crowdsec_metrics WHERE agent_id::text = ANY($1::text[])', [agentIds])).rowCount ?? 0,
        crowdsec_bouncer_key: (await client.query('DELETE FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId])).rowCount ?? 0,
      };
    });
  }
}
