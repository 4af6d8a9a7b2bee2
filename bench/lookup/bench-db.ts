import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { issueToken } from '../../src/common/crypto/secret-token.js';
import { scoredIpv4 } from './ip-mix.js';

export { flushRedisDb, migrateBenchDatabase as migrate } from '../ingest/bench-data.js';

/**
 * Writes `v4Count` scored IPv4 addresses (`scoredIpv4(i)` for i < v4Count: one in three listed, scores
 * spread over 0-10) and `v6Count` IPv6 /64s as generation 1, in SQL (generate_series), and closes the
 * generation in the consensus cursor as the scoring job does.
 */
export async function seedScores(pool: pg.Pool, v4Count: number, v6Count: number): Promise<void> {
  await pool.query('TRUNCATE ip_score, consensus_cursor, never_list_entry');
  // The multiplier must match scoredIpv4 (an odd constant: a bijection of the 32-bit space).
  if (scoredIpv4(1) !== 2_654_435_761) throw new Error('scoredIpv4 changed: update the SQL');
  const common = `
    (i % 100) / 10.0, 1 + i % 30, i % 7, 1 + i % 5,
    CASE i % 4 WHEN 0 THEN ARRAY['ssh-bf'] WHEN 1 THEN ARRAY['http-probing', 'http-bf'] WHEN 2 THEN ARRAY['smtp-spam'] ELSE ARRAY['ssh-bf', 'port-scan'] END,
    now() - interval '3 days', now() - (i % 3600) * interval '1 second', i % 3 = 0, now() - interval '1 hour',
    CASE WHEN i % 3 = 0 THEN now() + interval '2 days' END, CASE WHEN i % 3 = 0 THEN 'consensus' END, i % 50 = 0, 1, now()`;
  const columns = '(ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)';
  const step = 250_000;
  for (let from = 0; from < v4Count; from += step) {
    const to = Math.min(v4Count, from + step) - 1;
    await pool.query(
      `INSERT INTO ip_score ${columns}
       SELECT host('0.0.0.0'::inet + ((i::bigint * 2654435761) % 4294967296)), ${common} FROM generate_series($1::int, $2::int) AS i`,
      [from, to],
    );
  }
  await pool.query(
    `INSERT INTO ip_score ${columns}
     SELECT format('2a01:%s:%s:%s::/64', to_hex(4000 + i / 65536), to_hex((i / 256) % 256), to_hex(i % 256)), ${common}
     FROM generate_series(0, $1::int - 1) AS i`,
    [v6Count],
  );
  await pool.query('INSERT INTO consensus_cursor (id, generation) VALUES (1, 1)');
  await pool.query('ANALYZE ip_score');
}

export interface BenchKey {
  key: string;
  organizationId: string;
}

/** One organisation on a plan whose limits the load cannot reach ("keys well within quota"). */
export async function createBenchKey(pool: pg.Pool): Promise<BenchKey> {
  await pool.query('TRUNCATE api_key, organization_plan, usage_counter');
  await pool.query(`DELETE FROM plan WHERE id = 'bench'`);
  await pool.query(
    `INSERT INTO plan (id, name, burst_per_second, daily_quota, monthly_quota, bulk_size, fields, views)
     VALUES ('bench', 'Bench', 1000000, 2000000000, 2000000000, 1000, ARRAY['reporters','scenarios','history','network','range'], ARRAY['ip','bulk','range'])`,
  );
  const organizationId = randomUUID();
  await pool.query("INSERT INTO organization (id, name, updated_at) VALUES ($1, 'bench:lookup', now())", [organizationId]);
  await pool.query("INSERT INTO organization_plan (organization_id, plan_id) VALUES ($1, 'bench')", [organizationId]);
  const issued = issueToken('qk');
  await pool.query("INSERT INTO api_key (id, organization_id, name, prefix, key_hash, scopes) VALUES ($1, $2, 'bench', $3, $4, ARRAY['lookup'])", [
    randomUUID(),
    organizationId,
    issued.prefix,
    issued.hash,
  ]);
  return { key: issued.token, organizationId };
}

/** Writes one row as a new generation (closing it in the cursor) and returns the generation. */
export async function writeGeneration(pool: pg.Pool, ipKey: string, score: number): Promise<number> {
  const { rows } = await pool.query<{ v: string }>('SELECT (coalesce(max(version), 0) + 1)::text AS v FROM ip_score');
  const version = Number(rows[0].v);
  await pool.query(
    `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
     VALUES ($1, $2, 12, 5, 5, '{ssh-bf}', now(), now(), true, now(), now() + interval '1 day', 'consensus', false, $3, now())
     ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, listed = true, listed_until = EXCLUDED.listed_until, version = EXCLUDED.version`,
    [ipKey, score, version],
  );
  await pool.query('UPDATE consensus_cursor SET generation = $1 WHERE id = 1', [version]);
  return version;
}
