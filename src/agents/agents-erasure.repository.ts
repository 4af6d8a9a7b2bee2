import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** The agents domain's side of erasure and retention (src/agents/agents.erasure.ts). */
@Injectable()
export class AgentsErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** R7, at once: the organisation is marked erased, its agents and enrollment keys revoked. Null when unknown. */
  async begin(organizationId: string, now: Date): Promise<{ agentIds: string[] } | null> {
    return this.prisma.transaction(async (tx) => {
      const org = await tx.query('SELECT id FROM organization WHERE id = $1 FOR UPDATE', [organizationId]);
      if (org.length === 0) return null;
      await tx.execute('UPDATE organization SET erased_at = coalesce(erased_at, $2), updated_at = $2 WHERE id = $1', [organizationId, now]);
      await tx.execute("UPDATE agent SET status = 'revoked', revoked_at = coalesce(revoked_at, $2), updated_at = $2 WHERE organization_id = $1", [organizationId, now]);
      await tx.execute('UPDATE enrollment_key SET revoked_at = coalesce(revoked_at, $2) WHERE organization_id = $1', [organizationId, now]);
      const agents = await tx.query<{ id: string }>('SELECT id::text AS id FROM agent WHERE organization_id = $1', [organizationId]);
      return { agentIds: agents.map((r) => r.id) };
    });
  }

  async identifiers(organizationId: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ v: string }>(
      `SELECT id::text AS v FROM organization WHERE id = $1 UNION SELECT name FROM organization WHERE id = $1
       UNION SELECT id::text FROM agent WHERE organization_id = $1 UNION SELECT machine_id FROM agent WHERE organization_id = $1 AND machine_id IS NOT NULL
       UNION SELECT id::text FROM enrollment_key WHERE organization_id = $1 UNION SELECT prefix FROM enrollment_key WHERE organization_id = $1`,
      [organizationId],
    );
    return rows.map((r) => r.v);
  }

  /** R7: the key is destroyed (crypto-shredding) with every account row of the organisation. */
  async erase(organizationId: string): Promise<Record<string, number>> {
    return this.prisma.transaction(async (tx) => {
      const q = (text: string) => tx.execute(text, [organizationId]);
      return {
        reporter_key: await q('DELETE FROM reporter_key WHERE organization_id = $1'),
        enrollment_key: await q('DELETE FROM enrollment_key WHERE organization_id = $1'),
        agent: await q('DELETE FROM agent WHERE organization_id = $1'),
        organization: await q('DELETE FROM organization WHERE id = $1'),
      };
    });
  }

  /** R6: network data derived from an agent's address, 30 days after its last derivation. */
  async clearNetworkDerivations(cutoff: Date): Promise<number> {
    return this.prisma.db.execute(
      `UPDATE agent SET network_pseudonym = NULL, egress_pseudonym = NULL, enroll_network = NULL, asn = NULL, country = NULL
       WHERE greatest(enrolled_at, coalesce(last_login_at, enrolled_at)) < $1
         AND (network_pseudonym IS NOT NULL OR egress_pseudonym IS NOT NULL OR enroll_network IS NOT NULL OR asn IS NOT NULL OR country IS NOT NULL)`,
      [cutoff],
    );
  }

  async erasedOrganizations(limit: number): Promise<string[]> {
    const rows = await this.prisma.db.query<{ id: string }>('SELECT id::text AS id FROM organization WHERE erased_at IS NOT NULL ORDER BY erased_at LIMIT $1', [limit]);
    return rows.map((r) => r.id);
  }

  async organizationIds(): Promise<string[]> {
    return (await this.prisma.db.query<{ id: string }>('SELECT id::text AS id FROM organization')).map((r) => r.id);
  }
}
