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
}

/** Everything stored about one IP key (R8) and its erasure (R9). Reporter columns are never read. */
@Injectable()
export class IpDataRepository {
  constructor(private readonly prisma: PrismaService) {}

  async held(ipKey: string): Promise<HeldIpData> {
    const pool = this.prisma.pool;
    const score = await pool.query<{ score: number; reporters: number; scenarios: string[]; first_seen: Date; last_seen: Date; listed: boolean; listed_until: Date | null; honeypot: boolean }>(
      'SELECT score, reporters, scenarios, first_seen, last_seen, listed, listed_until, honeypot FROM ip_score WHERE ip_key = $1',
      [ipKey],
    );
    const signals = await pool.query<{ count: string; oldest: Date | null; newest: Date | null; sources: string[] | null; scenarios: string[] | null }>(
      `SELECT count(*) AS count, min(received_at) AS oldest, max(received_at) AS newest,
              array_agg(DISTINCT source) AS sources, array_agg(DISTINCT scenario) AS scenarios
       FROM signal WHERE ip_key = $1`,
      [ipKey],
    );
    const explanations = await pool.query<{ count: string; newest: Date | null }>('SELECT count(*) AS count, max(created_at) AS newest FROM listing_explanation WHERE ip_key = $1', [ipKey]);
    const open = await pool.query<{ until: Date }>('SELECT max(until) AS until FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL HAVING count(*) > 0', [ipKey]);
    const delistings = await pool.query<{ count: string }>('SELECT count(*) AS count FROM delisting_request WHERE ip_key = $1', [ipKey]);
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
    };
  }

  async hasSignalsSince(ipKey: string, since: Date): Promise<boolean> {
    const result = await this.prisma.pool.query('SELECT 1 FROM signal WHERE ip_key = $1 AND received_at >= $2 LIMIT 1', [ipKey, since]);
    return result.rows.length > 0;
  }

  /**
   * R9: removes the IP from every store that holds it (aggregates, explanations, raw signals, closed
   * blocklist history rows, delisting records). Open blocklist rows are never touched: a listed IP is
   * refused before this runs.
   */
  async erase(ipKey: string): Promise<Record<string, number>> {
    const client = await this.prisma.pool.connect();
    try {
      await client.query('BEGIN');
      const count = async (text: string) => (await client.query(text, [ipKey])).rowCount ?? 0;
      const out = {
        signal: await count('DELETE FROM signal WHERE ip_key = $1'),
        ip_score: await count('DELETE FROM ip_score WHERE ip_key = $1'),
        listing_explanation: await count('DELETE FROM listing_explanation WHERE ip_key = $1'),
        blocklist_entry: await count('DELETE FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NOT NULL'),
        delisting_request: await count('DELETE FROM delisting_request WHERE ip_key = $1'),
      };
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
