import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

const BATCH = 5_000;

export interface HeldScores {
  aggregate: { score: number; reporters: number; scenarios: string[]; firstSeen: Date; lastSeen: Date; listed: boolean; listedUntil: Date | null; honeypot: boolean } | null;
  explanations: { count: number; newest: Date | null };
  delistingRequests: number;
  copy: {
    explanations: Array<{ listedAt: Date; reason: string; score: number; scenarioClasses: string[]; firstSeen: Date; lastSeen: Date }>;
    delistingRequests: Array<{ status: string; createdAt: Date; closedAt: Date | null }>;
  };
}

/** Consensus' side of erasure and retention (src/consensus/consensus.erasure.ts). */
@Injectable()
export class ConsensusErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  private q(text: string, params: unknown[]): Promise<number> {
    return this.prisma.db.execute(text, params);
  }

  /**
   * R7: trust rows and voter pseudonyms go; keys no other owner voted on (`unvoted`) lose their
   * aggregate and explanations at once. Returns the unvoted keys that were listed (their listings are
   * withdrawn by the caller). Engine snapshots hold the votes too: they go, so the rebuild that the
   * erasure queues replays the remaining signals.
   */
  async eraseOwner(owner: string | null, reporters: readonly string[], unvoted: readonly string[]): Promise<{ removed: Record<string, number>; listed: Array<{ ipKey: string; scenario: string; score: number; until: Date | null }> }> {
    return this.prisma.transaction(async (tx) => {
      const trust = await tx.query<{ pseudonym: string }>('DELETE FROM reporter WHERE owner = $1 OR pseudonym = ANY($2::text[]) RETURNING pseudonym', [owner, reporters]);
      const voters = [...new Set([...reporters, ...trust.map((r) => r.pseudonym)])];
      const explanations = await tx.execute(
        'UPDATE listing_explanation SET voters = ARRAY(SELECT v FROM unnest(voters) v WHERE v <> ALL($1::text[])) WHERE voters && $1::text[]',
        [voters],
      );
      const scores = await tx.query<{ ip_key: string; listed: boolean; scenarios: string[]; score: number; listed_until: Date | null }>(
        'DELETE FROM ip_score WHERE ip_key = ANY($1::text[]) RETURNING ip_key, listed, scenarios, score, listed_until',
        [unvoted],
      );
      const unexplained = await tx.execute('DELETE FROM listing_explanation WHERE ip_key = ANY($1::text[])', [unvoted]);
      const snapshots = await tx.execute('DELETE FROM consensus_snapshot');
      return {
        removed: { reporter: trust.length, listing_explanation: explanations + unexplained, ip_score: scores.length, consensus_snapshot: snapshots },
        listed: scores.filter((r) => r.listed).map((r) => ({ ipKey: r.ip_key, scenario: r.scenarios[0] ?? 'unknown', score: r.score, until: r.listed_until })),
      };
    });
  }

  async eraseIp(ipKey: string, exact: string | null, wholeKey: boolean): Promise<Record<string, number>> {
    const out: Record<string, number> = { delisting_request: await this.q('DELETE FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)', [ipKey, exact]) };
    if (wholeKey) {
      out.ip_score = await this.q('DELETE FROM ip_score WHERE ip_key = $1', [ipKey]);
      out.listing_explanation = await this.q('DELETE FROM listing_explanation WHERE ip_key = $1', [ipKey]);
      out.consensus_snapshot = await this.q('DELETE FROM consensus_snapshot', []);
    }
    return out;
  }

  private async batched(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.db.execute(statement, [cutoff]);
      total += n;
      if (n < BATCH) return total;
    }
  }

  /** R2 */
  deleteIpScoresBefore(cutoff: Date): Promise<number> {
    return this.batched('DELETE FROM ip_score WHERE ip_key IN (SELECT ip_key FROM ip_score WHERE last_seen < $1 LIMIT 5000)', cutoff);
  }

  /** R4 */
  deleteExplanationsBefore(cutoff: Date): Promise<number> {
    return this.batched('DELETE FROM listing_explanation WHERE id IN (SELECT id FROM listing_explanation WHERE created_at < $1 LIMIT 5000)', cutoff);
  }

  /** R10: closed delisting records; requests never proven are closed by their creation date. */
  deleteDelistingsBefore(cutoff: Date): Promise<number> {
    return this.batched(
      "DELETE FROM delisting_request WHERE id IN (SELECT id FROM delisting_request WHERE (closed_at < $1) OR (closed_at IS NULL AND status IN ('pending_proof', 'expired') AND created_at < $1) LIMIT 5000)",
      cutoff,
    );
  }

  /** R6: reporters' network, ASN and country once neither their network nor any signal of theirs is recent. */
  async clearReporterNetworks(cutoff: Date, active: readonly string[]): Promise<number> {
    return this.q(
      `UPDATE reporter SET net = NULL, asn = NULL, country = NULL
       WHERE (net IS NOT NULL OR asn IS NOT NULL OR country IS NOT NULL) AND updated_at < $1 AND pseudonym <> ALL($2::text[])`,
      [cutoff, active],
    );
  }

  /** R9: an erased IP's marker, a keyed hash only (src/privacy/subject-hash.ts ipSubject). */
  async protect(ipHash: string, now: Date, expiresAt: Date): Promise<void> {
    await this.prisma.ipProtection.upsert({ where: { ipHash }, create: { ipHash, createdAt: now, expiresAt }, update: { createdAt: now, expiresAt } });
  }

  async protection(ipHash: string, now: Date): Promise<Date | null> {
    const row = await this.prisma.ipProtection.findUnique({ where: { ipHash } });
    return row && row.expiresAt > now ? row.expiresAt : null;
  }

  async deleteExpiredProtections(now: Date): Promise<number> {
    return (await this.prisma.ipProtection.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }

  async oldest(): Promise<Record<string, Date | null>> {
    const rows = await this.prisma.db.query<Record<string, Date | null>>(`SELECT
      (SELECT min(last_seen) FROM ip_score) AS ip_score,
      (SELECT min(created_at) FROM listing_explanation) AS listing_explanation,
      (SELECT min(coalesce(closed_at, created_at)) FROM delisting_request) AS delisting_request`);
    return rows[0];
  }

  async heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }> {
    const keys = await this.prisma.db.query<{ k: string }>(
      `SELECT ip_key AS k FROM ip_score WHERE ip_key NOT LIKE '%:%' AND ip_key NOT LIKE '%/%'
       UNION SELECT ip_key FROM listing_explanation WHERE ip_key NOT LIKE '%:%' AND ip_key NOT LIKE '%/%'
       UNION SELECT ip_key FROM delisting_request WHERE ip_key NOT LIKE '%:%' AND ip_key NOT LIKE '%/%'`,
    );
    const addresses = await this.prisma.db.query<{ ip: string; key: string }>("SELECT DISTINCT ip, ip_key AS key FROM delisting_request WHERE ip LIKE '%:%'");
    return { keys: keys.map((r) => r.k), addresses };
  }

  async held(ipKey: string, exact: string | null, limit: number): Promise<HeldScores> {
    const db = this.prisma.db;
    const [s] = await db.query<{ score: number; reporters: number; scenarios: string[]; first_seen: Date; last_seen: Date; listed: boolean; listed_until: Date | null; honeypot: boolean }>(
      'SELECT score, reporters, scenarios, first_seen, last_seen, listed, listed_until, honeypot FROM ip_score WHERE ip_key = $1',
      [ipKey],
    );
    const [explanations] = await db.query<{ count: string; newest: Date | null }>('SELECT count(*) AS count, max(created_at) AS newest FROM listing_explanation WHERE ip_key = $1', [ipKey]);
    const [delistings] = await db.query<{ count: string }>('SELECT count(*) AS count FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)', [ipKey, exact]);
    const copyExplanations = await db.query<{ listed_at: Date; reason: string; score: number; scenario_classes: string[]; first_seen: Date; last_seen: Date }>(
      'SELECT listed_at, reason, score, scenario_classes, first_seen, last_seen FROM listing_explanation WHERE ip_key = $1 ORDER BY listed_at DESC LIMIT $2',
      [ipKey, limit],
    );
    const copyDelistings = await db.query<{ status: string; created_at: Date; closed_at: Date | null }>(
      'SELECT status, created_at, closed_at FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2) ORDER BY created_at DESC LIMIT $3',
      [ipKey, exact, limit],
    );
    return {
      aggregate: s
        ? { score: s.score, reporters: s.reporters, scenarios: s.scenarios, firstSeen: s.first_seen, lastSeen: s.last_seen, listed: s.listed, listedUntil: s.listed_until, honeypot: s.honeypot }
        : null,
      explanations: { count: Number(explanations.count), newest: explanations.newest },
      delistingRequests: Number(delistings.count),
      copy: {
        explanations: copyExplanations.map((r) => ({ listedAt: r.listed_at, reason: r.reason, score: r.score, scenarioClasses: r.scenario_classes, firstSeen: r.first_seen, lastSeen: r.last_seen })),
        delistingRequests: copyDelistings.map((r) => ({ status: r.status, createdAt: r.created_at, closedAt: r.closed_at })),
      },
    };
  }
}
