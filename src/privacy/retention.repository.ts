import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Rows removed per statement: large deletions proceed in short transactions, so a crash loses little. */
const BATCH = 5_000;

@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Deletes rows matching `where` (with $1 = cutoff) in batches; returns how many went. */
  private async deleteBatched(table: string, where: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.prisma.pool.query(
        // (tableoid, ctid): a ctid alone is ambiguous across the partitions of `signal`.
        `DELETE FROM "${table}" WHERE (tableoid, ctid) IN (SELECT tableoid, ctid FROM "${table}" WHERE ${where} LIMIT ${BATCH})`,
        [cutoff],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < BATCH) return total;
    }
  }

  /** R1: rows of the boundary partition older than the cutoff (whole older partitions are dropped). */
  deleteSignalsBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('signal', 'received_at < $1', cutoff);
  }

  deleteSignalUuidsBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('signal_uuid', 'created_at < $1', cutoff);
  }

  /** R2: aggregates of IPs not seen since the cutoff. */
  deleteIpScoresBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('ip_score', 'last_seen < $1', cutoff);
  }

  /** R4 */
  deleteExplanationsBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('listing_explanation', 'created_at < $1', cutoff);
  }

  /** R10: closed delisting records; requests never proven are closed by their creation date. */
  deleteDelistingsBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('delisting_request', "(closed_at < $1) OR (closed_at IS NULL AND status IN ('pending_proof', 'expired') AND created_at < $1)", cutoff);
  }

  deleteUsageBefore(cutoff: Date): Promise<number> {
    return this.deleteBatched('usage_counter', 'hour < $1', cutoff);
  }

  async deletePrivacyRequests(closedBefore: Date, pendingBefore: Date): Promise<number> {
    const closed = await this.deleteBatched('privacy_request', 'closed_at < $1', closedBefore);
    const pending = await this.deleteBatched('privacy_request', 'closed_at IS NULL AND created_at < $1', pendingBefore);
    return closed + pending;
  }

  /**
   * R6: network data derived from an agent's address (network pseudonym, ASN, country) is refreshed at
   * every login and cleared once it is older than the cutoff: agents by their last derivation (enrolment
   * or login), reporter trust rows once neither their network (updated_at) nor any signal of theirs is
   * that recent.
   */
  async clearNetworkDerivations(cutoff: Date): Promise<{ agents: number; reporters: number }> {
    const agents = await this.prisma.pool.query(
      `UPDATE agent SET network_pseudonym = NULL, egress_pseudonym = NULL, enroll_network = NULL, asn = NULL, country = NULL
       WHERE greatest(enrolled_at, coalesce(last_login_at, enrolled_at)) < $1
         AND (network_pseudonym IS NOT NULL OR egress_pseudonym IS NOT NULL OR enroll_network IS NOT NULL OR asn IS NOT NULL OR country IS NOT NULL)`,
      [cutoff],
    );
    const reporters = await this.prisma.pool.query(
      `UPDATE reporter r SET net = NULL, asn = NULL, country = NULL
       WHERE (r.net IS NOT NULL OR r.asn IS NOT NULL OR r.country IS NOT NULL)
         AND r.updated_at < $1
         AND NOT EXISTS (SELECT 1 FROM signal s WHERE s.reporter = r.pseudonym AND s.received_at >= $1)`,
      [cutoff],
    );
    return { agents: agents.rowCount ?? 0, reporters: reporters.rowCount ?? 0 };
  }

  deleteExpiredProtections(now: Date): Promise<number> {
    return this.deleteBatched('ip_protection', 'expires_at <= $1', now);
  }

  /**
   * R11: deletes entries older than the cutoff under the chain's lock and records the hash of the last
   * deleted entry as the anchor, so the remaining chain still verifies from its first row.
   */
  async pruneAudit(cutoff: Date, now: Date): Promise<number> {
    const client = await this.prisma.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))`);
      const last = await client.query<{ id: string; hash: string }>('SELECT id::text AS id, hash FROM audit_log WHERE at < $1 ORDER BY id DESC LIMIT 1', [cutoff]);
      if (last.rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const { id, hash } = last.rows[0];
      const deleted = await client.query('DELETE FROM audit_log WHERE id <= $1', [id]);
      await client.query(
        `INSERT INTO audit_anchor (id, after_id, hash, pruned_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET after_id = EXCLUDED.after_id, hash = EXCLUDED.hash, pruned_at = EXCLUDED.pruned_at`,
        [id, hash, now],
      );
      await client.query('COMMIT');
      return deleted.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Oldest row date per retained table (for the gauges). */
  async oldestRows(): Promise<Record<string, Date | null>> {
    const result = await this.prisma.pool.query<Record<string, Date | null>>(`SELECT
      (SELECT min(received_at) FROM signal) AS signal,
      (SELECT min(created_at) FROM signal_uuid) AS signal_uuid,
      (SELECT min(last_seen) FROM ip_score) AS ip_score,
      (SELECT min(created_at) FROM blocklist_version) AS blocklist_version,
      (SELECT min(created_at) FROM listing_explanation) AS listing_explanation,
      (SELECT min(coalesce(closed_at, created_at)) FROM delisting_request) AS delisting_request,
      (SELECT min(at) FROM audit_log) AS audit_log,
      (SELECT min(hour) FROM usage_counter) AS usage_counter,
      (SELECT min(coalesce(closed_at, created_at)) FROM privacy_request) AS privacy_request`);
    return result.rows[0];
  }
}
