import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { FeedScoreRow, StoredGenerations } from './scores-feed.types.js';

// Array rows (no object per row from pg) with times as epoch seconds and scenarios pre-joined
// (SCENARIO_SEPARATOR in scores-feed.types.ts).
const COLUMNS = `ip_key, score, reporters, established, asns, array_to_string(scenarios, E'\\x1f'),
  extract(epoch from first_seen)::float8, extract(epoch from last_seen)::float8, listed,
  coalesce(extract(epoch from listed_until), 0)::float8, honeypot, version::float8`;

type RawRow = [string, number, number, number, number, string, number, number, boolean, number, boolean, number];

function toRow(r: RawRow): FeedScoreRow {
  return {
    ipKey: r[0],
    score: r[1],
    reporters: r[2],
    established: r[3],
    asns: r[4],
    scenarios: r[5],
    firstSeen: r[6],
    lastSeen: r[7],
    listed: r[8],
    listedUntil: r[9],
    honeypot: r[10],
    version: r[11],
  };
}

const GENERATIONS_SQL = `SELECT coalesce(max(version), 0)::float8 AS max,
  coalesce((SELECT generation FROM consensus_cursor WHERE id = 1), 0)::float8 AS committed FROM ip_score`;

/**
 * The scores feed's reads of ip_score and consensus_cursor. Every method runs on the client it is
 * given: ScoresFeed opens the snapshot (replica or primary) they share. Read-only.
 */
@Injectable()
export class ScoresFeedRepository {
  async generations(client: pg.PoolClient): Promise<StoredGenerations> {
    const result = await client.query<StoredGenerations>(GENERATIONS_SQL);
    return result.rows[0] ?? { max: 0, committed: 0 };
  }

  /** Every row, page by page, through a cursor (the caller's transaction holds the snapshot). */
  async scanAll(client: pg.PoolClient, onPage: (rows: FeedScoreRow[]) => void, pageSize: number): Promise<void> {
    await client.query(`DECLARE scores_feed_full NO SCROLL CURSOR FOR SELECT ${COLUMNS} FROM ip_score`);
    for (;;) {
      const page = await fetchPage(client, `FETCH ${pageSize} FROM scores_feed_full`, []);
      if (page.length === 0) break;
      onPage(page);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await client.query('CLOSE scores_feed_full');
  }

  /** Rows written by generations in (from, to], in (version, ip_key) order, page by page. */
  async changedSince(client: pg.PoolClient, from: number, to: number, onPage: (rows: FeedScoreRow[]) => void, pageSize: number): Promise<number> {
    let after: { version: number; key: string } | null = null;
    let total = 0;
    for (;;) {
      const page: FeedScoreRow[] = after
        ? await fetchPage(
            client,
            `SELECT ${COLUMNS} FROM ip_score WHERE version <= $2 AND (version > $1 OR (version = $1 AND ip_key > $3))
             ORDER BY version, ip_key LIMIT ${pageSize}`,
            [after.version, to, after.key],
          )
        : await fetchPage(client, `SELECT ${COLUMNS} FROM ip_score WHERE version > $1 AND version <= $2 ORDER BY version, ip_key LIMIT ${pageSize}`, [from, to]);
      if (page.length === 0) return total;
      onPage(page);
      total += page.length;
      const last = page[page.length - 1];
      after = { version: last.version, key: last.ipKey };
      if (page.length < pageSize) return total;
    }
  }
}

async function fetchPage(client: pg.PoolClient, text: string, values: unknown[]): Promise<FeedScoreRow[]> {
  const result = await client.query<RawRow>({ text, values, rowMode: 'array' });
  return result.rows.map(toRow);
}
