import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface SignalRow {
  ip: string;
  ipKey: string;
  scope: string;
  scenario: string;
  scenarioVersion: string | null;
  /** 64 hex digits (stored as its 32 bytes) */
  scenarioHash: string | null;
  scenarioTrust: string | null;
  startedAt: Date;
  stoppedAt: Date;
  uuid: string | null;
  labels: string | null;
  weight: number;
  flags: number;
}

export interface BatchContext {
  receivedAt: Date;
  reporter: string;
  owner: string;
  reporterAsn: number | null;
  reporterNet: string | null;
  reporterCountry: string | null;
  source: 'quorum' | 'crowdsec';
  /** the sending agent and its signed-batch nonce (null when the sender has none: CrowdSec engines) */
  agentId: string;
  nonce: string | null;
  /** end of the replay window: the nonce row may be swept after it */
  nonceExpiresAt: Date;
}

export interface StoredBatch {
  /** false when the batch nonce was already stored (a replay): nothing was written */
  fresh: boolean;
  inserted: number;
  claimedUuids: Set<string>;
}

// One statement, one transaction: take the batch nonce (durable replay protection; an expired row of
// the same nonce is taken over), claim the (reporter, uuid) pairs (unique through signal_uuid's index on
// their digest, migration 20261207160000_signal_uuid_digest_key), then insert every row whose uuid was
// claimed now (or has none). A replayed nonce writes nothing; a duplicate uuid is skipped, never stored twice.
const INSERT_BATCH = `
WITH batch_nonce AS (
  INSERT INTO signal_batch_nonce AS n (agent_id, nonce, expires_at)
  SELECT $22::uuid, $23::text, $24 WHERE $23::text IS NOT NULL
  ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE n.expires_at <= $3
  RETURNING 1
), fresh AS (
  SELECT $23::text IS NULL OR EXISTS (SELECT 1 FROM batch_nonce) AS ok
), claimed AS (
  INSERT INTO signal_uuid (reporter, uuid, created_at)
  SELECT $1, u, $3 FROM unnest($2::text[]) AS u WHERE (SELECT ok FROM fresh)
  ON CONFLICT DO NOTHING
  RETURNING uuid
), inserted AS (
  INSERT INTO signal (received_at, reporter, owner, reporter_asn, reporter_net, reporter_country, source, ip, ip_key, scope,
    scenario, scenario_version, scenario_hash, scenario_trust, started_at, stopped_at, uuid, labels, weight, flags)
  SELECT $3, $1, $4, $5, $6, $7, $8, t.ip, t.ip_key, t.scope, t.scenario, t.scenario_version, decode(t.scenario_hash, 'hex'), t.scenario_trust,
    t.started_at, t.stopped_at, t.uuid, t.labels::jsonb, t.weight, t.flags
  FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[],
    $17::timestamptz[], $18::text[], $19::text[], $20::real[], $21::smallint[])
    AS t(ip, ip_key, scope, scenario, scenario_version, scenario_hash, scenario_trust, started_at, stopped_at, uuid, labels, weight, flags)
  WHERE (SELECT ok FROM fresh) AND (t.uuid IS NULL OR t.uuid IN (SELECT uuid FROM claimed))
  RETURNING uuid
)
SELECT (SELECT ok FROM fresh) AS fresh, (SELECT count(*) FROM inserted)::int AS inserted,
  (SELECT coalesce(array_agg(uuid), '{}') FROM claimed) AS claimed`;

// Expired nonces, oldest first, in bounded batches (the index on expires_at finds them).
const SWEEP_NONCES = `
DELETE FROM signal_batch_nonce WHERE ctid = ANY(ARRAY(
  SELECT ctid FROM signal_batch_nonce WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2))`;

@Injectable()
export class SignalsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores a batch atomically with its nonce; returns whether the nonce was new, how many rows were
   * written and which uuids were new.
   */
  async insertBatch(context: BatchContext, rows: SignalRow[]): Promise<StoredBatch> {
    const uuids = rows.map((r) => r.uuid).filter((u): u is string => u !== null);
    const column = <T>(pick: (r: SignalRow) => T): T[] => rows.map(pick);
    const result = await this.prisma.pool.query<{ fresh: boolean; inserted: number; claimed: string[] }>(INSERT_BATCH, [
      context.reporter,
      uuids,
      context.receivedAt,
      context.owner,
      context.reporterAsn,
      context.reporterNet,
      context.reporterCountry,
      context.source,
      column((r) => r.ip),
      column((r) => r.ipKey),
      column((r) => r.scope),
      column((r) => r.scenario),
      column((r) => r.scenarioVersion),
      column((r) => r.scenarioHash),
      column((r) => r.scenarioTrust),
      column((r) => r.startedAt),
      column((r) => r.stoppedAt),
      column((r) => r.uuid),
      column((r) => r.labels),
      column((r) => r.weight),
      column((r) => r.flags),
      context.agentId,
      context.nonce,
      context.nonceExpiresAt,
    ]);
    const row = result.rows[0];
    return { fresh: row.fresh, inserted: row.inserted, claimedUuids: new Set(row.claimed) };
  }

  /** Deletes nonces whose replay window ended at or before `now`; returns how many went. */
  async sweepNonces(now: Date, batchSize = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = (await this.prisma.pool.query(SWEEP_NONCES, [now, batchSize])).rowCount ?? 0;
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  async countByReporter(reporter: string): Promise<number> {
    return this.prisma.signal.count({ where: { reporter } });
  }
}
