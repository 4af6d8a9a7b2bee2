import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { type FeedSignal, SignalsFeed } from '../signals/signals-feed.js';
import type { CursorRow, ExplanationRow, IpScoreRow, NeverListRow, ReporterRow, ScoringSignal } from './consensus.types.js';

const SCORING_LOCK = 741_852_963;

/** A stored signal as the engine reads it: its time is when it stopped, or when it arrived if earlier. */
function toScoringSignal(r: FeedSignal): ScoringSignal {
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    reporter: r.reporter,
    owner: r.owner,
    ipKey: r.ipKey,
    scope: r.scope,
    scenario: r.scenario,
    at: r.stoppedAt < r.receivedAt ? r.stoppedAt : r.receivedAt,
    weight: r.weight,
  };
}

@Injectable()
export class ConsensusRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly signals: SignalsFeed,
  ) {}

  /** Runs `work` while holding the cluster-wide scoring lock; returns null when another worker holds it. */
  async withScoringLock<T>(work: () => Promise<T>): Promise<T | null> {
    return this.prisma.withConnection(async (connection) => {
      const [{ ok }] = await connection.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SCORING_LOCK]);
      if (!ok) return null;
      try {
        return await work();
      } finally {
        await connection.query('SELECT pg_advisory_unlock($1)', [SCORING_LOCK]);
      }
    });
  }

  async cursor(): Promise<CursorRow> {
    const row = await this.prisma.consensusCursor.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
    return { lastSignalId: row.lastSignalId, generation: row.generation, lastTickAt: row.lastTickAt };
  }

  async saveCursor(cursor: CursorRow): Promise<void> {
    await this.prisma.consensusCursor.update({ where: { id: 1 }, data: cursor });
  }

  /** Signals in id order after `afterId` (read through the signals domain's SignalsFeed). */
  async signalsAfter(afterId: bigint, since: Date, limit: number): Promise<ScoringSignal[]> {
    return (await this.signals.after(afterId, since, limit)).map(toScoringSignal);
  }

  /** The signals with these ids (ids a run stepped over while their batch was in flight), in id order. */
  async signalsByIds(ids: readonly bigint[], since: Date): Promise<ScoringSignal[]> {
    return (await this.signals.byIds(ids, since)).map(toScoringSignal);
  }

  maxSignalId(): Promise<bigint> {
    return this.signals.maxId();
  }

  async reporters(): Promise<ReporterRow[]> {
    const rows = await this.prisma.reporter.findMany();
    return rows.map(toReporterRow);
  }

  /**
   * Registers a reporter, with the configured trust priors (QUORUM_CONSENSUS_PARAMS priorAlpha /
   * priorBeta, not the column defaults), or refreshes its network from its latest login (an unknown
   * network keeps the last known one).
   */
  async upsertReporter(row: Omit<ReporterRow, 'alpha' | 'beta' | 'quarantinedAt'>, prior: { alpha: number; beta: number } = { alpha: 1, beta: 3 }): Promise<void> {
    await this.prisma.db.execute(
      `INSERT INTO reporter (pseudonym, owner, kind, asn, net, country, enrolled_at, alpha, beta, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (pseudonym) DO UPDATE SET asn = EXCLUDED.asn, net = EXCLUDED.net, country = EXCLUDED.country, updated_at = now()
       WHERE EXCLUDED.asn IS NOT NULL AND (reporter.asn IS DISTINCT FROM EXCLUDED.asn OR reporter.net IS DISTINCT FROM EXCLUDED.net)`,
      [row.pseudonym, row.owner, row.kind, row.asn, row.net, row.country, row.enrolledAt, prior.alpha, prior.beta],
    );
  }

  /**
   * Reporter rows written after `since` (database time; all rows when null) and the newest write
   * time among them: a scoring run registers them at once, so a reporter enrolled or moved after the
   * last rebuild scores with its real network immediately.
   */
  async reportersChangedSince(since: Date | null): Promise<{ rows: ReporterRow[]; watermark: Date | null }> {
    const rows = await this.prisma.reporter.findMany({ where: since === null ? {} : { updatedAt: { gte: since } }, orderBy: { updatedAt: 'asc' } });
    return {
      rows: rows.map(toReporterRow),
      watermark: rows.length === 0 ? since : rows[rows.length - 1].updatedAt,
    };
  }

  async saveTrust(rows: Array<{ pseudonym: string; alpha: number; beta: number; quarantinedAt: Date | null; quarantineReason: string | null }>): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.db.execute(
      `UPDATE reporter r SET alpha = t.alpha, beta = t.beta, quarantined_at = t.quarantined_at,
         quarantine_reason = coalesce(t.reason, r.quarantine_reason), updated_at = now()
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::timestamptz[], $5::text[]) AS t(pseudonym, alpha, beta, quarantined_at, reason)
       WHERE r.pseudonym = t.pseudonym`,
      [rows.map((r) => r.pseudonym), rows.map((r) => r.alpha), rows.map((r) => r.beta), rows.map((r) => r.quarantinedAt), rows.map((r) => r.quarantineReason)],
    );
  }

  async saveScores(rows: IpScoreRow[], version: bigint, now: Date): Promise<void> {
    for (let i = 0; i < rows.length; i += 5_000) {
      const chunk = rows.slice(i, i + 5_000);
      await this.prisma.db.execute(
        `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
         SELECT t.ip_key, t.score, t.reporters, t.established, t.asns, string_to_array(t.scenarios, ','), t.first_seen, t.last_seen, t.listed, t.listed_at, t.listed_until, t.reason, t.honeypot, $14, $15
         FROM unnest($1::text[], $2::real[], $3::int[], $4::int[], $5::int[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::bool[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::bool[])
           AS t(ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot)
         ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, reporters = EXCLUDED.reporters, established = EXCLUDED.established,
           asns = EXCLUDED.asns, scenarios = EXCLUDED.scenarios, first_seen = LEAST(ip_score.first_seen, EXCLUDED.first_seen),
           last_seen = EXCLUDED.last_seen, listed = EXCLUDED.listed, listed_at = EXCLUDED.listed_at, listed_until = EXCLUDED.listed_until,
           reason = EXCLUDED.reason, honeypot = EXCLUDED.honeypot, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [
          chunk.map((r) => r.ipKey), chunk.map((r) => r.score), chunk.map((r) => r.reporters), chunk.map((r) => r.established),
          chunk.map((r) => r.asns), chunk.map((r) => r.scenarios.join(',')), chunk.map((r) => r.firstSeen), chunk.map((r) => r.lastSeen),
          chunk.map((r) => r.listed), chunk.map((r) => r.listedAt), chunk.map((r) => r.listedUntil), chunk.map((r) => r.reason),
          chunk.map((r) => r.honeypot), version.toString(), now,
        ],
      );
    }
  }

  async markUnlisted(keys: string[], version: bigint, now: Date): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.db.execute(
      'UPDATE ip_score SET listed = false, listed_until = NULL, version = $2, updated_at = $3 WHERE ip_key = ANY($1)',
      [keys, version.toString(), now],
    );
  }

  async listedKeys(): Promise<string[]> {
    const rows = await this.prisma.db.query<{ ip_key: string }>('SELECT ip_key FROM ip_score WHERE listed');
    return rows.map((r) => r.ip_key);
  }

  async saveExplanations(rows: ExplanationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.listingExplanation.createMany({ data: rows });
  }

  async latestExplanation(ipKey: string): Promise<ExplanationRow | null> {
    const row = await this.prisma.listingExplanation.findFirst({ where: { ipKey }, orderBy: { listedAt: 'desc' } });
    return row;
  }

  /**
   * Owners that reported `ipKey` since `since` and whose every reporter enrolled after
   * `enrolledAfter` (still in the age-gate probation): a count for explanations, never who.
   */
  async probationOwners(ipKey: string, since: Date, enrolledAfter: Date): Promise<number> {
    const voters = await this.signals.votersOf(ipKey, since);
    if (voters.length === 0) return 0;
    const rows = await this.prisma.reporter.findMany({
      where: { pseudonym: { in: [...new Set(voters.map((v) => v.reporter))] }, kind: { not: 'honeypot' }, quarantinedAt: null },
      select: { pseudonym: true, enrolledAt: true },
    });
    const enrolled = new Map(rows.map((r) => [r.pseudonym, r.enrolledAt.getTime()]));
    const earliest = new Map<string, number>();
    for (const v of voters) {
      const at = enrolled.get(v.reporter);
      if (at !== undefined) earliest.set(v.owner, Math.min(earliest.get(v.owner) ?? Infinity, at));
    }
    return [...earliest.values()].filter((at) => at > enrolledAfter.getTime()).length;
  }

  async ipScore(ipKey: string): Promise<IpScoreRow | null> {
    return this.prisma.ipScore.findUnique({ where: { ipKey } });
  }

  async neverList(): Promise<NeverListRow[]> {
    return this.prisma.neverListEntry.findMany({ select: { cidr: true, category: true, source: true }, orderBy: { id: 'asc' } });
  }

  /** Replaces every entry of one source in one transaction (an import is all or nothing). */
  async replaceNeverListSource(source: string, category: string, cidrs: string[], fetchedAt: Date): Promise<{ removed: number; added: number }> {
    return this.prisma.transaction(async (tx) => {
      const removed = await tx.prisma.neverListEntry.deleteMany({ where: { source } });
      const added = await tx.prisma.neverListEntry.createMany({ data: cidrs.map((cidr) => ({ cidr, category, source, fetchedAt })), skipDuplicates: true });
      return { removed: removed.count, added: added.count };
    });
  }

  /** Keyed hashes of IPs under a privacy protection marker (erased on request of their holder). */
  async activeIpProtections(now: Date): Promise<string[]> {
    return (await this.prisma.ipProtection.findMany({ where: { expiresAt: { gt: now } }, select: { ipHash: true } })).map((r) => r.ipHash);
  }

  async canaries(): Promise<string[]> {
    return (await this.prisma.darkCanary.findMany({ select: { cidr: true } })).map((r) => r.cidr);
  }

  async addCanary(cidr: string, note: string | null): Promise<void> {
    await this.prisma.darkCanary.upsert({ where: { cidr }, create: { cidr, note }, update: { note } });
  }
}

type ReporterRecord = Omit<ReporterRow, 'kind'> & { kind: string };

/** A stored reporter row as the engine sees it (every kind but honeypot votes as a community member). */
function toReporterRow(r: ReporterRecord): ReporterRow {
  return {
    pseudonym: r.pseudonym,
    owner: r.owner,
    kind: r.kind === 'honeypot' ? 'honeypot' : 'community',
    asn: r.asn,
    net: r.net,
    country: r.country,
    enrolledAt: r.enrolledAt,
    alpha: r.alpha,
    beta: r.beta,
    quarantinedAt: r.quarantinedAt,
  };
}
