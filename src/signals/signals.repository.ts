import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
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

// A reporter's resends are recognised against its own signal rows (docs/scaling.md "Storage per signal"):
// the partitioned table cannot hold a unique index across its day partitions, so the reporter's batches
// are serialised by a transaction-scoped advisory lock instead. signal_resent_uuids (migration
// 20261207184200_signal_resent_uuids_function) takes the lock, then reads with a snapshot of its own taken
// after it, so it sees every batch of that reporter that committed before: a uuid stored by any of them
// within the resend window ($25 to $3) is found by the index on the hash of (reporter, uuid) and skipped.
// The lock is held until this statement commits.
//
// One statement, one transaction: take the batch nonce (durable replay protection; an expired row of the
// same nonce is taken over), look the batch's uuids up, then insert every row whose uuid is new (or that
// has none). A replayed nonce writes nothing; a resent uuid is skipped, never stored twice. ip_key is
// stored only where it differs from ip (an IPv6 address's /64): readers take coalesce(ip_key, ip)
// (migration 20261207184100_signal_ip_key_when_differs).
const INSERT_BATCH = `
WITH batch_nonce AS (
  INSERT INTO signal_batch_nonce AS n (agent_id, nonce, expires_at)
  SELECT $22::uuid, $23::text, $24::timestamptz WHERE $23::text IS NOT NULL
  ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE n.expires_at <= $3::timestamptz
  RETURNING 1
), fresh AS (
  SELECT $23::text IS NULL OR EXISTS (SELECT 1 FROM batch_nonce) AS ok
), stored AS (
  SELECT u AS uuid FROM signal_resent_uuids($1::text, $2::text[], $25::timestamptz, $3::timestamptz) AS u
), inserted AS (
  INSERT INTO signal (received_at, reporter, owner, reporter_asn, reporter_net, reporter_country, source, ip, ip_key, scope,
    scenario, scenario_version, scenario_hash, scenario_trust, started_at, stopped_at, uuid, labels, weight, flags)
  SELECT $3::timestamptz, $1::text, $4, $5, $6, $7, $8, t.ip, NULLIF(t.ip_key, t.ip), t.scope, t.scenario, t.scenario_version,
    decode(t.scenario_hash, 'hex'), t.scenario_trust, t.started_at, t.stopped_at, t.uuid, t.labels::jsonb, t.weight, t.flags
  FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[],
    $17::timestamptz[], $18::text[], $19::text[], $20::real[], $21::smallint[])
    AS t(ip, ip_key, scope, scenario, scenario_version, scenario_hash, scenario_trust, started_at, stopped_at, uuid, labels, weight, flags)
  WHERE (SELECT ok FROM fresh) AND (t.uuid IS NULL OR t.uuid NOT IN (SELECT uuid FROM stored))
  RETURNING uuid
)
SELECT (SELECT ok FROM fresh) AS fresh, (SELECT count(*) FROM inserted)::int AS inserted,
  (SELECT coalesce(array_agg(uuid), '{}') FROM inserted WHERE uuid IS NOT NULL) AS claimed`;

// Expired nonces, oldest first, in bounded batches (the index on expires_at finds them).
const SWEEP_NONCES = `
DELETE FROM signal_batch_nonce WHERE ctid = ANY(ARRAY(
  SELECT ctid FROM signal_batch_nonce WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2))`;

@Injectable()
export class SignalsRepository {
  /** How far back a resent uuid is recognised (QUORUM_RETENTION_SIGNAL_UUID_DAYS). */
  private readonly resendWindowMs: number;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.resendWindowMs = config.privacy.retention.signalUuidDays * 86_400_000;
  }

  /**
   * Stores a batch atomically with its nonce; returns whether the nonce was new, how many rows were
   * written and which uuids were new.
   */
  async insertBatch(context: BatchContext, rows: SignalRow[]): Promise<StoredBatch> {
    const uuids = rows.map((r) => r.uuid).filter((u): u is string => u !== null);
    const column = <T>(pick: (r: SignalRow) => T): T[] => rows.map(pick);
    const values = [
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
      column((r) => r.startedAt.toISOString()),
      column((r) => r.stoppedAt.toISOString()),
      column((r) => r.uuid),
      column((r) => r.labels),
      column((r) => r.weight),
      column((r) => r.flags),
      context.agentId,
      context.nonce,
      context.nonceExpiresAt,
      new Date(context.receivedAt.getTime() - this.resendWindowMs),
    ];
    const [row] = await this.prisma.db.query<{ fresh: boolean; inserted: number; claimed: string[] }>(INSERT_BATCH, values);
    return { fresh: row.fresh, inserted: row.inserted, claimedUuids: new Set(row.claimed) };
  }

  /** Deletes nonces whose replay window ended at or before `now`; returns how many went. */
  async sweepNonces(now: Date, batchSize = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.prisma.db.execute(SWEEP_NONCES, [now, batchSize]);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  async countByReporter(reporter: string): Promise<number> {
    return this.prisma.db.prisma.signal.count({ where: { reporter } });
  }
}
