// Lookup fixtures shared by the lookup and DNSBL e2e tests: scored rows and never-list blocks, loaded
// into the running app's in-memory index and never-list set.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { sql } from '../setup/db.js';

const HOUR = 3_600_000;

/** ip_key, score, listed, scenario names */
export type ScoreRow = readonly [key: string, score: number, listed: boolean, scenarios: readonly string[]];

/**
 * Writes consensus rows (4 reporters, first seen 2 h ago, last seen 1 h ago, listed for 24 h when
 * `listed`) under a fresh version and waits for the lookup index to catch up with it.
 */
export async function seedScores(app: NestFastifyApplication, db: string, rows: readonly ScoreRow[]): Promise<void> {
  const [{ v }] = await sql<{ v: string }>(db, 'SELECT coalesce(max(version), 0) + 1 AS v FROM ip_score');
  const now = Date.now();
  for (const [key, score, listed, scenarios] of rows) {
    await sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
       VALUES ($1, $2, 4, 3, 3, $3, $4, $5, $6, $5, $7, 'consensus', false, $8, now())
       ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, listed = EXCLUDED.listed, listed_until = EXCLUDED.listed_until,
         scenarios = EXCLUDED.scenarios, version = EXCLUDED.version`,
      [key, score, scenarios, new Date(now - 2 * HOUR), new Date(now - HOUR), listed, listed ? new Date(now + 24 * HOUR) : null, v],
    );
  }
  await app.get(LookupIndexService).catchUp(Number(v));
}

/** Replaces the never-list blocks of `source` with `entries` ([cidr, category]) and reloads the set. */
export async function seedNeverList(app: NestFastifyApplication, db: string, source: string, entries: ReadonlyArray<readonly [cidr: string, category: string]>): Promise<void> {
  await sql(db, 'DELETE FROM never_list_entry WHERE source = $1', [source]);
  for (const [cidr, category] of entries) {
    await sql(db, 'INSERT INTO never_list_entry (cidr, category, source, fetched_at) VALUES ($1, $2, $3, now())', [cidr, category, source]);
  }
  await app.get(NeverListService).refresh();
}
