import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** The signal columns scoring reads (the signal table's reads for other domains: src/signals/signals-feed.ts). */
export interface SignalTuple {
  id: string;
  received_at: Date;
  reporter: string;
  owner: string;
  ip_key: string;
  scope: string;
  scenario: string;
  stopped_at: Date;
  weight: number;
}

export interface HeldSignals {
  count: number;
  oldest: Date | null;
  newest: Date | null;
  sources: string[];
  scenarios: string[];
  copy: Array<{ ip: string; receivedAt: Date; source: string; scenario: string; startedAt: Date; stoppedAt: Date }>;
}

export interface VoterEvidenceRow {
  reporter: string;
  scenario: string;
  signals: number;
  first_at: Date;
  last_at: Date;
}

@Injectable()
export class SignalsFeedRepository {
  constructor(private readonly prisma: PrismaService) {}

  async after(afterId: bigint, since: Date, limit: number): Promise<SignalTuple[]> {
    return this.prisma.db.query<SignalTuple>(
      'SELECT id, received_at, reporter, owner, coalesce(ip_key, ip) AS ip_key, scope, scenario, stopped_at, weight FROM signal WHERE id > $1 AND received_at >= $2 ORDER BY id LIMIT $3',
      [afterId.toString(), since, limit],
    );
  }

  async byIds(ids: readonly bigint[], since: Date): Promise<SignalTuple[]> {
    if (ids.length === 0) return [];
    return this.prisma.db.query<SignalTuple>(
      'SELECT id, received_at, reporter, owner, coalesce(ip_key, ip) AS ip_key, scope, scenario, stopped_at, weight FROM signal WHERE id = ANY($1::bigint[]) AND received_at >= $2 ORDER BY id',
      [ids.map((id) => id.toString()), since],
    );
  }

  async countSince(since: Date): Promise<number> {
    const rows = await this.prisma.db.query<{ n: string }>('SELECT count(*) AS n FROM signal WHERE received_at >= $1', [since]);
    return Number(rows[0].n);
  }

  /**
   * Signals per scenario received in [from, to), at most `limit` scenarios (most signals first). Called
   * with one UTC day: the range on received_at, the partition key, confines the scan to that day's partition.
   */
  async scenarioCounts(from: Date, to: Date, limit: number): Promise<Array<{ scenario: string; signals: number }>> {
    return this.prisma.db.query<{ scenario: string; signals: number }>(
      'SELECT scenario, count(*)::int AS signals FROM signal WHERE received_at >= $1 AND received_at < $2 GROUP BY scenario ORDER BY count(*) DESC, scenario LIMIT $3',
      [from, to, limit],
    );
  }

  async maxId(): Promise<bigint> {
    const rows = await this.prisma.db.query<{ id: string | null }>('SELECT max(id) AS id FROM signal');
    return BigInt(rows[0].id ?? '0');
  }

  async votersOf(ipKey: string, since: Date): Promise<Array<{ owner: string; reporter: string }>> {
    return this.prisma.db.query<{ owner: string; reporter: string }>('SELECT DISTINCT owner, reporter FROM signal WHERE coalesce(ip_key, ip) = $1 AND received_at > $2', [ipKey, since]);
  }

  /** Per reporter and scenario: how many signals of `ipKey` since `since`, first and last received (explanations). */
  async evidenceOf(ipKey: string, since: Date, limit: number): Promise<VoterEvidenceRow[]> {
    return this.prisma.db.query<VoterEvidenceRow>(
      `SELECT reporter, scenario, count(*)::int AS signals, min(received_at) AS first_at, max(received_at) AS last_at
       FROM signal WHERE coalesce(ip_key, ip) = $1 AND received_at > $2
       GROUP BY reporter, scenario ORDER BY max(received_at) DESC LIMIT $3`,
      [ipKey, since, limit],
    );
  }

  async ipKeysOfOwner(owner: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ k: string }>('SELECT DISTINCT coalesce(ip_key, ip) AS k FROM signal WHERE owner = $1', [owner]);
    return rows.map((r) => r.k);
  }

  async keysReportedByOthers(keys: readonly string[], owner: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ k: string }>('SELECT DISTINCT coalesce(ip_key, ip) AS k FROM signal WHERE coalesce(ip_key, ip) = ANY($1::text[]) AND owner <> $2', [keys, owner]);
    return rows.map((r) => r.k);
  }

  async reportersActiveSince(since: Date): Promise<string[]> {
    const rows = await this.prisma.db.query<{ r: string }>('SELECT DISTINCT reporter AS r FROM signal WHERE received_at >= $1', [since]);
    return rows.map((r) => r.r);
  }

  async hasSignalsSince(ipKey: string, since: Date, address: string | null): Promise<boolean> {
    const rows = await this.prisma.db.query('SELECT 1 FROM signal WHERE coalesce(ip_key, ip) = $1 AND received_at >= $2 AND ($3::text IS NULL OR ip = $3) LIMIT 1', [ipKey, since, address]);
    return rows.length > 0;
  }

  /** Whether any address of `ipKey` other than `address` is still in the raw signals. */
  async otherAddressesLeft(ipKey: string, address: string): Promise<boolean> {
    const rows = await this.prisma.db.query('SELECT 1 FROM signal WHERE coalesce(ip_key, ip) = $1 AND ip <> $2 LIMIT 1', [ipKey, address]);
    return rows.length > 0;
  }

  async held(ipKey: string, address: string | null, limit: number): Promise<HeldSignals> {
    const db = this.prisma.db;
    const [g] = await db.query<{ count: string; oldest: Date | null; newest: Date | null; sources: string[] | null; scenarios: string[] | null }>(
        `SELECT count(*) AS count, min(received_at) AS oldest, max(received_at) AS newest,
                array_agg(DISTINCT source) AS sources, array_agg(DISTINCT scenario) AS scenarios
         FROM signal WHERE coalesce(ip_key, ip) = $1 AND ($2::text IS NULL OR ip = $2)`,
      [ipKey, address],
    );
    const copy = await db.query<{ ip: string; received_at: Date; source: string; scenario: string; started_at: Date; stopped_at: Date }>(
      `SELECT ip, received_at, source, scenario, started_at, stopped_at FROM signal
       WHERE coalesce(ip_key, ip) = $1 AND ($2::text IS NULL OR ip = $2) ORDER BY received_at DESC LIMIT $3`,
      [ipKey, address, limit],
    );
    return {
      count: Number(g.count),
      oldest: g.oldest,
      newest: g.newest,
      sources: (g.sources ?? []).filter(Boolean).sort(),
      scenarios: (g.scenarios ?? []).filter(Boolean).sort(),
      copy: copy.map((r) => ({ ip: r.ip, receivedAt: r.received_at, source: r.source, scenario: r.scenario, startedAt: r.started_at, stoppedAt: r.stopped_at })),
    };
  }
}

/** Rows removed per statement: large deletions proceed in short transactions, so a crash loses little. */
const BATCH = 5_000;

/** The signals domain's side of erasure and retention (src/signals/signals.erasure.ts). */
@Injectable()
export class SignalsErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async eraseOwner(owner: string | null, reporters: readonly string[], agentIds: readonly string[]): Promise<Record<string, number>> {
    const q = (text: string, params: unknown[]) => this.prisma.db.execute(text, params);
    return {
      signal: owner ? await q('DELETE FROM signal WHERE owner = $1 OR reporter = ANY($2::text[])', [owner, reporters]) : await q('DELETE FROM signal WHERE reporter = ANY($1::text[])', [reporters]),
      signal_batch_nonce: await q('DELETE FROM signal_batch_nonce WHERE agent_id::text = ANY($1::text[])', [agentIds]),
    };
  }

  async eraseIp(ipKey: string, exact: string | null): Promise<number> {
    return this.prisma.db.execute('DELETE FROM signal WHERE coalesce(ip_key, ip) = $1 AND ($2::text IS NULL OR ip = $2)', [ipKey, exact]);
  }

  /** R1: rows of the boundary partition older than the cutoff (whole older partitions are dropped). */
  deleteSignalsBefore(cutoff: Date): Promise<number> {
    return this.batched('DELETE FROM signal WHERE (tableoid, ctid) IN (SELECT tableoid, ctid FROM signal WHERE received_at < $1 LIMIT 5000)', cutoff);
  }

  private async batched(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.db.execute(statement, [cutoff]);
      total += n;
      if (n < BATCH) return total;
    }
  }

  async oldest(): Promise<{ signal: Date | null }> {
    const rows = await this.prisma.db.query<{ signal: Date | null }>('SELECT min(received_at) AS signal FROM signal');
    return rows[0];
  }

  async heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }> {
    const keys = await this.prisma.db.query<{ k: string }>("SELECT DISTINCT coalesce(ip_key, ip) AS k FROM signal WHERE coalesce(ip_key, ip) NOT LIKE '%:%' AND coalesce(ip_key, ip) NOT LIKE '%/%'");
    const addresses = await this.prisma.db.query<{ ip: string; key: string }>("SELECT DISTINCT ip, coalesce(ip_key, ip) AS key FROM signal WHERE scope = 'ip' AND ip LIKE '%:%'");
    return { keys: keys.map((r) => r.k), addresses };
  }
}
