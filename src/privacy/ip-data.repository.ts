import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface HeldIpData {
  aggregate: {
    score: number;
    reporters: number;
    scenarios: string[];
    firstSeen: Date;
    lastSeen: Date;
    listed: boolean;
    listedUntil: Date | null;
    honeypot: boolean;
  } | null;
  signals: { count: number; oldest: Date | null; newest: Date | null; sources: string[]; scenarios: string[] };
  explanations: { count: number; newest: Date | null };
  openListing: { until: Date } | null;
  delistingRequests: number;
  /** Art. 15(3) copy: the rows themselves, without any reporter column (Art. 15(4)); newest first, bounded. */
  copy: HeldIpCopy;
}

export interface HeldIpCopy {
  signals: Array<{ ip: string; receivedAt: Date; source: string; scenario: string; startedAt: Date; stoppedAt: Date }>;
  explanations: Array<{ listedAt: Date; reason: string; score: number; scenarioClasses: string[]; firstSeen: Date; lastSeen: Date }>;
  blocklist: Array<{ value: string; scenarioClass: string; until: Date; open: boolean }>;
  delistingRequests: Array<{ status: string; createdAt: Date; closedAt: Date | null }>;
}

/** Rows copied per store into an access report; the counts say how many exist in all. */
export const COPY_LIMIT = 1_000;

/** Everything stored about one IP key (R8) and its erasure (R9). Reporter columns are never read. */
@Injectable()
export class IpDataRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * `address` narrows per-address stores for IPv6 (raw signals, delisting records hold the address);
   * aggregates, explanations and listings are per consensus key (the IPv4 address, or the IPv6 /64).
   */
  async held(ipKey: string, address: string | null = null): Promise<HeldIpData> {
    const pool = this.prisma.pool;
    const addr = address !== null && address !== ipKey ? address : null;
    const score = await pool.query<{ score: number; reporters: number; scenarios: string[]; first_seen: Date; last_seen: Date; listed: boolean; listed_until: Date | null; honeypot: boolean }>(
      'SELECT score, reporters, scenarios, first_seen, last_seen, listed, listed_until, honeypot FROM ip_score WHERE ip_key = $1',
      [ipKey],
    );
    const signals = await pool.query<{ count: string; oldest: Date | null; newest: Date | null; sources: string[] | null; scenarios: string[] | null }>(
      `SELECT count(*) AS count, min(received_at) AS oldest, max(received_at) AS newest,
              array_agg(DISTINCT source) AS sources, array_agg(DISTINCT scenario) AS scenarios
       FROM signal WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)`,
      [ipKey, addr],
    );
    const explanations = await pool.query<{ count: string; newest: Date | null }>('SELECT count(*) AS count, max(created_at) AS newest FROM listing_explanation WHERE ip_key = $1', [ipKey]);
    const open = await pool.query<{ until: Date }>('SELECT max(until) AS until FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL HAVING count(*) > 0', [ipKey]);
    const delistings = await pool.query<{ count: string }>('SELECT count(*) AS count FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)', [
      ipKey,
      addr,
    ]);
    const copySignals = await pool.query<{ ip: string; received_at: Date; source: string; scenario: string; started_at: Date; stopped_at: Date }>(
      `SELECT ip, received_at, source, scenario, started_at, stopped_at FROM signal
       WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2) ORDER BY received_at DESC LIMIT ${COPY_LIMIT}`,
      [ipKey, addr],
    );
    const copyExplanations = await pool.query<{ listed_at: Date; reason: string; score: number; scenario_classes: string[]; first_seen: Date; last_seen: Date }>(
      `SELECT listed_at, reason, score, scenario_classes, first_seen, last_seen FROM listing_explanation WHERE ip_key = $1 ORDER BY listed_at DESC LIMIT ${COPY_LIMIT}`,
      [ipKey],
    );
    const copyBlocklist = await pool.query<{ value: string; scenario_class: string; until: Date; open: boolean }>(
      `SELECT value, scenario_class, until, removed_in IS NULL AS open FROM blocklist_entry WHERE ip_key = $1 ORDER BY id DESC LIMIT ${COPY_LIMIT}`,
      [ipKey],
    );
    const copyDelistings = await pool.query<{ status: string; created_at: Date; closed_at: Date | null }>(
      `SELECT status, created_at, closed_at FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2) ORDER BY created_at DESC LIMIT ${COPY_LIMIT}`,
      [ipKey, addr],
    );
    const s = score.rows[0];
    const g = signals.rows[0];
    return {
      aggregate: s
        ? { score: s.score, reporters: s.reporters, scenarios: s.scenarios, firstSeen: s.first_seen, lastSeen: s.last_seen, listed: s.listed, listedUntil: s.listed_until, honeypot: s.honeypot }
        : null,
      signals: { count: Number(g.count), oldest: g.oldest, newest: g.newest, sources: (g.sources ?? []).filter(Boolean).sort(), scenarios: (g.scenarios ?? []).filter(Boolean).sort() },
      explanations: { count: Number(explanations.rows[0].count), newest: explanations.rows[0].newest },
      openListing: open.rows[0]?.until ? { until: open.rows[0].until } : null,
      delistingRequests: Number(delistings.rows[0].count),
      copy: {
        signals: copySignals.rows.map((r) => ({ ip: r.ip, receivedAt: r.received_at, source: r.source, scenario: r.scenario, startedAt: r.started_at, stoppedAt: r.stopped_at })),
        explanations: copyExplanations.rows.map((r) => ({
          listedAt: r.listed_at,
          reason: r.reason,
          score: r.score,
          scenarioClasses: r.scenario_classes,
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
        })),
        blocklist: copyBlocklist.rows.map((r) => ({ value: r.value, scenarioClass: r.scenario_class, until: r.until, open: r.open })),
        delistingRequests: copyDelistings.rows.map((r) => ({ status: r.status, createdAt: r.created_at, closedAt: r.closed_at })),
      },
    };
  }

  async hasSignalsSince(ipKey: string, since: Date, address: string | null = null): Promise<boolean> {
    const exact = address !== null && address !== ipKey ? address : null;
    const result = await this.prisma.pool.query('SELECT 1 FROM signal WHERE ip_key = $1 AND received_at >= $2 AND ($3::text IS NULL OR ip = $3) LIMIT 1', [ipKey, since, exact]);
    return result.rows.length > 0;
  }

  /**
   * R9: removes the IP from every store that holds it, at once. For an IPv6 address (`address` inside
   * the /64 `ipKey`) only what is about that address goes: its raw signals and delisting records; the
   * /64's aggregate, explanations and blocklist history go too when no other address of the /64 is
   * left in the raw signals (otherwise the rescoring that follows rebuilds them from the others).
   * Blocklist rows: closed history rows, and open rows whose `until` has passed (expired, not yet
   * closed by a publication). A listed IP is refused before this runs, so no live row is touched.
   * Other requests still pending for the same address drop the raw IP and the token at once.
   */
  async erase(ipKey: string, address: string, now: Date, requestId: string): Promise<Record<string, number>> {
    const exact = address !== ipKey ? address : null;
    const client = await this.prisma.pool.connect();
    try {
      await client.query('BEGIN');
      const count = async (text: string, params: unknown[]) => (await client.query(text, params)).rowCount ?? 0;
      const out: Record<string, number> = {
        signal: await count('DELETE FROM signal WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)', [ipKey, exact]),
        delisting_request: await count('DELETE FROM delisting_request WHERE ip_key = $1 AND ($2::text IS NULL OR ip = $2)', [ipKey, exact]),
      };
      const othersLeft = exact !== null && (await client.query('SELECT 1 FROM signal WHERE ip_key = $1 LIMIT 1', [ipKey])).rows.length > 0;
      if (!othersLeft) {
        out.ip_score = await count('DELETE FROM ip_score WHERE ip_key = $1', [ipKey]);
        out.listing_explanation = await count('DELETE FROM listing_explanation WHERE ip_key = $1', [ipKey]);
        out.blocklist_entry = await count('DELETE FROM blocklist_entry WHERE ip_key = $1 AND (removed_in IS NOT NULL OR until <= $2)', [ipKey, now]);
      }
      out.privacy_request = await count(
        `UPDATE privacy_request SET ip = NULL, token_hash = NULL, status = 'superseded', closed_at = $3, outcome = jsonb_build_object('superseded_by', $4::text)
         WHERE status = 'pending_proof' AND ip = $1 AND id <> $2::uuid`,
        [address, requestId, now, requestId],
      );
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
