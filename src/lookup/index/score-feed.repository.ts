import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PrismaService } from '../../infra/prisma/prisma.service.js';
import type { FeedVersions } from './generations.js';
import type { ScoreRow } from './score-columns.js';

// Array rows (no object per row from pg) with times as epoch seconds and scenarios pre-joined.
const COLUMNS = `ip_key, score, reporters, established, asns, array_to_string(scenarios, E'\\x1f'),
  extract(epoch from first_seen)::float8, extract(epoch from last_seen)::float8, listed,
  coalesce(extract(epoch from listed_until), 0)::float8, honeypot, version::float8`;

type RawRow = [string, number, number, number, number, string, number, number, boolean, number, boolean, number];

function toRow(r: RawRow): ScoreRow {
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

const VERSIONS_SQL = `SELECT coalesce(max(version), 0)::float8 AS max,
  coalesce((SELECT generation FROM consensus_cursor WHERE id = 1), 0)::float8 AS committed FROM ip_score`;

export interface NeverListRow {
  cidr: string;
  category: string;
  source: string;
}

/** Reads the consensus output (ip_score, never_list_entry) for the lookup index. Read-only. */
@Injectable()
export class ScoreFeedRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * `max`: the newest generation with rows in ip_score. `committed`: the last generation the consensus
   * job finished (its cursor is saved after every row of the run): a generation above it may still be
   * being written.
   */
  async versions(runner: pg.Pool | pg.PoolClient = this.prisma.pool): Promise<FeedVersions> {
    const result = await runner.query<FeedVersions>(VERSIONS_SQL);
    return result.rows[0] ?? { max: 0, committed: 0 };
  }

  /**
   * Every row, from one consistent snapshot, handed over page by page; returns the snapshot's versions.
   */
  async loadAll(onPage: (rows: ScoreRow[]) => void, pageSize = 20_000): Promise<FeedVersions> {
    const client = await this.prisma.pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const versions = await this.versions(client);
      await client.query(`DECLARE lookup_full_load NO SCROLL CURSOR FOR SELECT ${COLUMNS} FROM ip_score`);
      for (;;) {
        const page = await fetchPage(client, `FETCH ${pageSize} FROM lookup_full_load`, []);
        if (page.length === 0) break;
        onPage(page);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await client.query('COMMIT');
      return versions;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failed);
    }
  }

  /** Rows written by generations in (from, to], in (version, ip_key) order, page by page. */
  async changedSince(from: number, to: number, onPage: (rows: ScoreRow[]) => void, pageSize = 10_000): Promise<number> {
    let after: { version: number; key: string } | null = null;
    let total = 0;
    for (;;) {
      const page: ScoreRow[] = after
        ? await fetchPage(
            this.prisma.pool,
            `SELECT ${COLUMNS} FROM ip_score WHERE version <= $2 AND (version > $1 OR (version = $1 AND ip_key > $3))
             ORDER BY version, ip_key LIMIT ${pageSize}`,
            [after.version, to, after.key],
          )
        : await fetchPage(this.prisma.pool, `SELECT ${COLUMNS} FROM ip_score WHERE version > $1 AND version <= $2 ORDER BY version, ip_key LIMIT ${pageSize}`, [
            from,
            to,
          ]);
      if (page.length === 0) return total;
      onPage(page);
      total += page.length;
      const last = page[page.length - 1];
      after = { version: last.version, key: last.ipKey };
      if (page.length < pageSize) return total;
    }
  }

  async neverListEntries(): Promise<NeverListRow[]> {
    return (await this.prisma.pool.query<NeverListRow>('SELECT cidr, category, source FROM never_list_entry ORDER BY id')).rows;
  }
}

async function fetchPage(runner: pg.Pool | pg.PoolClient, text: string, values: unknown[]): Promise<ScoreRow[]> {
  const result = await runner.query<RawRow>({ text, values, rowMode: 'array' });
  return result.rows.map(toRow);
}
