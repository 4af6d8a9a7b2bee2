import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { pseudonym } from '../common/crypto/pseudonym.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { inPgTransaction } from '../infra/prisma/pg-transaction.js';

/**
 * Billing records an erased organisation leaves behind (tax law): kept until their own retention ends
 * (usage counters: QUORUM_RETENTION_USAGE_DAYS). Every other table with an `organization_id` column is
 * purged, so tables added later are covered without touching this file.
 */
export const BILLING_TABLES = ['usage_counter', 'usage_report', 'invoice', 'subscription', 'stripe_customer'];

export interface ShredResult {
  agents: number;
  signals: number;
  reporters: number;
  affectedIps: number;
}

const inTransaction = inPgTransaction;

async function tablesWithColumn(client: pg.PoolClient, column: string): Promise<string[]> {
  const result = await client.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = $1 AND t.table_type = 'BASE TABLE'`,
    [column],
  );
  return result.rows.map((r) => r.table_name);
}

@Injectable()
export class OrganizationErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * R7, at once: credentials revoked, the organisation's votes (its signals, found by its owner
   * pseudonym) and trust rows deleted, then its pseudonym key destroyed. Returns null when the
   * organisation does not exist.
   */
  async shred(organizationId: string, now: Date): Promise<ShredResult | null> {
    return inTransaction(this.prisma.pool, async (client) => {
      const org = await client.query('SELECT id FROM organization WHERE id = $1 FOR UPDATE', [organizationId]);
      if (org.rows.length === 0) return null;
      await client.query('UPDATE organization SET erased_at = coalesce(erased_at, $2), updated_at = $2 WHERE id = $1', [organizationId, now]);
      const agents = await client.query<{ id: string }>(
        `UPDATE agent SET status = 'revoked', revoked_at = coalesce(revoked_at, $2), updated_at = $2 WHERE organization_id = $1 RETURNING id`,
        [organizationId, now],
      );
      await client.query('UPDATE enrollment_key SET revoked_at = coalesce(revoked_at, $2) WHERE organization_id = $1', [organizationId, now]);
      if ((await tablesWithColumn(client, 'revoked_at')).includes('api_key')) {
        await client.query('UPDATE api_key SET revoked_at = coalesce(revoked_at, $2) WHERE organization_id = $1', [organizationId, now]);
      }
      await client.query('DELETE FROM operator_session WHERE operator_id IN (SELECT id FROM operator_user WHERE organization_id = $1)', [organizationId]);
      await client.query('UPDATE operator_user SET disabled = true WHERE organization_id = $1', [organizationId]);

      const key = await client.query<{ secret: Buffer | null }>('SELECT secret FROM reporter_key WHERE organization_id = $1 FOR UPDATE', [organizationId]);
      const secret = key.rows[0]?.secret ?? null;
      let signals = 0;
      let reporters = 0;
      let affectedIps = 0;
      if (secret) {
        const owner = pseudonym(secret, `org:${organizationId}`);
        const pids = agents.rows.map((a) => pseudonym(secret, `agent:${a.id}`));
        const affected = await client.query<{ n: string }>('SELECT count(DISTINCT ip_key) AS n FROM signal WHERE owner = $1', [owner]);
        affectedIps = Number(affected.rows[0].n);
        signals = (await client.query('DELETE FROM signal WHERE owner = $1', [owner])).rowCount ?? 0;
        await client.query('DELETE FROM signal_uuid WHERE reporter = ANY($1::text[])', [pids]);
        const trust = await client.query('DELETE FROM reporter WHERE owner = $1 OR pseudonym = ANY($2::text[]) RETURNING pseudonym', [owner, pids]);
        reporters = trust.rowCount ?? 0;
        const voters = [...new Set([...pids, ...trust.rows.map((r: { pseudonym: string }) => r.pseudonym)])];
        await client.query(
          'UPDATE listing_explanation SET voters = ARRAY(SELECT v FROM unnest(voters) v WHERE v <> ALL($1::text[])) WHERE voters && $1::text[]',
          [voters],
        );
      }
      await client.query('UPDATE reporter_key SET secret = NULL, destroyed_at = coalesce(destroyed_at, $2) WHERE organization_id = $1', [organizationId, now]);
      return { agents: agents.rowCount ?? 0, signals, reporters, affectedIps };
    });
  }

  /**
   * R7, personal data: deletes every row naming the organisation or one of its agents, except billing
   * records, then the organisation itself. Idempotent (the retention job re-runs it for any erased
   * organisation still present).
   */
  async purge(organizationId: string): Promise<Record<string, number>> {
    return inTransaction(this.prisma.pool, async (client) => {
      const deleted: Record<string, number> = {};
      const agentIds = (await client.query<{ id: string }>('SELECT id FROM agent WHERE organization_id = $1', [organizationId])).rows.map((r) => r.id);
      await client.query('DELETE FROM operator_session WHERE operator_id IN (SELECT id FROM operator_user WHERE organization_id = $1)', [organizationId]);
      for (const table of await tablesWithColumn(client, 'agent_id')) {
        if (BILLING_TABLES.includes(table)) continue;
        deleted[table] = (await client.query(`DELETE FROM "${table}" WHERE agent_id::text = ANY($1::text[])`, [agentIds])).rowCount ?? 0;
      }
      for (const table of await tablesWithColumn(client, 'organization_id')) {
        if (BILLING_TABLES.includes(table)) continue;
        deleted[table] = (await client.query(`DELETE FROM "${table}" WHERE organization_id::text = $1`, [organizationId])).rowCount ?? 0;
      }
      deleted.organization = (await client.query('DELETE FROM organization WHERE id = $1', [organizationId])).rowCount ?? 0;
      return deleted;
    });
  }

  async erasedOrganizations(limit: number): Promise<string[]> {
    const result = await this.prisma.pool.query<{ id: string }>('SELECT id FROM organization WHERE erased_at IS NOT NULL ORDER BY erased_at LIMIT $1', [limit]);
    return result.rows.map((r) => r.id);
  }
}
