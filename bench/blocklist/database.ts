import pg from 'pg';
import { createBenchOrganization, migrateBenchDatabase } from '../ingest/bench-data.js';
import { CLASSES, KEY_SQL } from './keys.js';

/**
 * Migrates a bench database and resets it to one blocklist version of `entries` entries (keys 0..n-1,
 * see keys.ts; until 2-3 days ahead) plus an organisation whose enrollment key is returned.
 */
export async function prepareDatabase(root: string, url: string, entries: number): Promise<{ enrollKey: string }> {
  await migrateBenchDatabase(root, url, 300_000);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    await pool.query('TRUNCATE blocklist_entry, blocklist_version, agent, enrollment_key, reporter_key, organization RESTART IDENTITY CASCADE');
    const classes = `ARRAY[${CLASSES.map((c) => `'${c}'`).join(', ')}]`;
    await pool.query(
      `INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in)
       SELECT k, k, CASE WHEN i % 10 = 9 THEN 'range' ELSE 'ip' END, (${classes})[1 + i % ${CLASSES.length}],
              ((i * 7919) % 10007) / 1000.0, now() + interval '2 days' + (i % 86400) * interval '1 second', 1
       FROM (SELECT i, ${KEY_SQL} AS k FROM generate_series(0::bigint, $1::bigint - 1) AS i) AS s`,
      [entries],
    );
    await pool.query('INSERT INTO blocklist_version (id, created_at, added, removed, total) VALUES (1, now(), $1, 0, $1)', [entries]);
    await pool.query('VACUUM ANALYZE blocklist_entry');
    return await createBenchOrganization(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
