// npm run bench:consensus-latency — T10 on the real service: from the accepted batch that completes a
// quorum to the published listing (ip_score listed + an open blocklist entry), through `quorum all`
// (HTTP, PostgreSQL, the BullMQ scoring queue on Redis, the worker's engine). The baseline printed
// beside it is the configured scoring tick, measured in the same run as the idle gap between two
// periodic ticks. Settings: BENCH_TARGETS (default 20), BENCH_DATABASE_URL, BENCH_REDIS_URL.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './lib/child-server.js';
import { runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { batchBody, routableIpv4, signedHeaders } from './ingest/batches.js';
import { createBenchOrganization, enrollAgents, flushRedisDb, migrateBenchDatabase, type BenchAgent } from './ingest/bench-data.js';
import { KeepAliveClient } from './ingest/http-client.js';

const TARGET_P95_MS = 60_000;
const targets = Number(process.env.BENCH_TARGETS ?? 20);
/**
 * Owners (one organisation and agent each). Each target is voted by four of them, so every owner takes
 * part in targets * 4 / OWNERS listings: kept under the novelty budget of 10 new listings per owner per
 * day (docs/consensus.md), which otherwise blocks the 11th target of a run.
 */
const OWNERS = Math.max(5, Math.ceil((targets * 4) / 8));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_bench_latency';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const tickMs = 15_000;
const root = projectRoot();
const log = (m: string) => process.stderr.write(`bench:consensus-latency: ${m}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function push(client: KeepAliveClient, agent: BenchAgent, ip: string): Promise<void> {
  const now = Date.now();
  const body = batchBody([{ ip, startedAt: new Date(now - 60_000).toISOString(), stoppedAt: new Date(now - 1_000).toISOString(), uuid: randomUUID() }]);
  const res = await client.post('/v1/signals', { 'content-type': 'application/json', ...signedHeaders(agent.id, agent.token, agent.privateKey, body) }, body);
  if (res.status !== 200) throw new Error(`push answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
}

await runBenchMain(300 + targets * 10, async (session) => {
  await migrateBenchDatabase(root, databaseUrl, 120_000);
  await flushRedisDb(redisUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  try {
    await pool.query(
      'TRUNCATE signal, signal_batch_nonce, agent, enrollment_key, reporter_key, organization, reporter, ip_score, listing_explanation, blocklist_entry, blocklist_version RESTART IDENTITY CASCADE',
    );
    await pool.query('DELETE FROM consensus_cursor');
    const port = await freePort();
    const server = await session.startChild({
      name: 'quorum all',
      command: process.execPath,
      args: [join(root, 'bin', 'quorum.js'), 'all'],
      cwd: root,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: 'quorum-bench-latency',
        QUORUM_LOG_LEVEL: 'warn',
        QUORUM_SCORING_TICK_MS: String(tickMs),
        QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
        QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000',
      },
      port,
      readyPath: '/readyz',
      timeoutMs: 60_000,
      echoOutput: process.env.BENCH_VERBOSE === '1',
    });
    const client = new KeepAliveClient(server.baseUrl, 4);
    const agents: BenchAgent[] = [];
    for (let i = 0; i < OWNERS; i++) agents.push(...(await enrollAgents(client, (await createBenchOrganization(pool)).enrollKey, 1)));
    for (const agent of agents) await push(client, agent, routableIpv4());
    // Give the reporters aged, established trust in an ASN each, then make the worker reload them.
    const { rows } = await pool.query<{ pseudonym: string }>('SELECT pseudonym FROM reporter ORDER BY pseudonym');
    if (rows.length !== agents.length) throw new Error(`expected ${agents.length} reporters, found ${rows.length}`);
    for (let i = 0; i < rows.length; i++) {
      await pool.query("UPDATE reporter SET enrolled_at = now() - interval '200 days', alpha = 60, beta = 3, asn = $2, net = $3 WHERE pseudonym = $1", [
        rows[i].pseudonym,
        64_600 + i,
        `bench-net-${i}`,
      ]);
    }
    await pool.query('UPDATE consensus_cursor SET generation = generation + 1000');
    const latencies: number[] = [];
    for (let n = 0; n < targets; n++) {
      const ip = routableIpv4();
      // Four owners per target, taken in turn, so no owner lists more than its novelty budget allows in a day.
      const voters = [0, 1, 2, 3].map((k) => agents[(n * 4 + k) % agents.length]);
      for (const agent of voters.slice(0, 3)) await push(client, agent, ip);
      await push(client, voters[3], ip);
      const accepted = Date.now();
      let published = 0;
      while (Date.now() - accepted < 120_000) {
        const found = await pool.query("SELECT 1 FROM ip_score s JOIN blocklist_entry e ON e.ip_key = s.ip_key AND e.removed_in IS NULL WHERE s.ip_key = $1 AND s.listed", [ip]);
        if (found.rowCount) {
          published = Date.now();
          break;
        }
        await sleep(50);
      }
      if (!published) throw new Error(`${ip} was not published within 120 s`);
      latencies.push(published - accepted);
      log(`target ${n + 1}/${targets}: ${published - accepted} ms`);
      await sleep(Math.floor(Math.random() * 2_000));
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const pass = p95 <= TARGET_P95_MS;
    process.stdout.write(
      [
        'T10 ingest-to-publish latency (quorum all, real PostgreSQL + Redis + BullMQ)',
        `  targets listed       ${latencies.length}`,
        `  p50 / p95 / max      ${p50} / ${p95} / ${Math.max(...latencies)} ms`,
        `  baseline: scoring tick ${tickMs} ms; p95 / tick = ${(p95 / tickMs).toFixed(3)}`,
        `  target p95 <= ${TARGET_P95_MS} ms: ${pass ? 'PASS' : 'MISS'}`,
        JSON.stringify({ bench: 'consensus-latency', p50, p95, max: Math.max(...latencies), tickMs, pass }),
        '',
      ].join('\n'),
    );
    return true;
  } finally {
    await pool.end();
  }
});
