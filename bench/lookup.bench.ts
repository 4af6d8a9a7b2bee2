// npm run bench:lookup — authenticated, metered GET /v1/ip/{ip} through Quorum (`quorum api`, index of
// 1,000,000 scored IPv4 addresses + 50,000 IPv6 /64s) against a bare Fastify route answering the same
// bytes, over the same mix of listed, unlisted and unknown IPs; plus the index alone in this process
// (lookups/s, bytes per IPv4) and the time from a published scoring generation to both API processes
// answering with it. For context, the run also loads quorum's unauthenticated GET /healthz (the floor
// of any route through the same Nest/Fastify instance).
// Settings: BENCH_DURATION (s per server, default 20), BENCH_ROUNDS (2), BENCH_WARMUP (3), BENCH_CONNECTIONS
// (50), BENCH_START_TIMEOUT (s, 120), BENCH_LOOKUP_IPS (scored IPv4, default 1000000), BENCH_DATABASE_URL
// (default postgresql://postgres@127.0.0.1:5432/quorum_lookup_bench), BENCH_REDIS_URL (default
// redis://127.0.0.1:6379/13, flushed), BENCH_VERBOSE=1.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { treeCpuMs } from './lib/child-process.js';
import { freePort, type RunningServer } from './lib/child-server.js';
import { probe } from './lib/measure.js';
import { rawFastifyChild } from './lib/raw-fastify.js';
import { compareToBaseline, summarise, unhealthy } from './lib/report.js';
import { interleavedSchedule } from './lib/schedule.js';
import { benchOptionsOrExit, type BenchSession, runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { createBenchKey, flushRedisDb, migrate, seedScores, writeGeneration } from './lookup/bench-db.js';
import { measureIndex } from './lookup/in-process.js';
import { lookupMix, scoredIpv4 } from './lookup/ip-mix.js';
import { runPathLoad } from './lookup/load.js';
import { printLookupReport, type Propagation, serverIndexFigures } from './lookup/lookup-report.js';
import type { Segment } from './lib/measure.js';
import { formatIpv4 } from '../src/common/ip/ip-address.js';

const options = benchOptionsOrExit({ connections: 50, durationSec: 20, warmupSec: 3, rounds: 2, startTimeoutSec: 120 });
const v4Count = Number(process.env.BENCH_LOOKUP_IPS ?? 1_000_000);
const v6Count = 50_000;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_lookup_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const redisPrefix = 'quorum-bench-lookup';
const root = projectRoot();
const log = (message: string) => process.stderr.write(`bench:lookup: ${message}\n`);
const budgetSec = Math.ceil(2 * options.startTimeoutSec + 300 + 2 * options.warmupSec + 3 * (options.durationSec + options.rounds * 2));

await runBenchMain(budgetSec, async (session) => {
  const load1m = loadavg()[0];
  log(`in-process index of ${v4Count.toLocaleString('en-US')} IPv4 addresses`);
  const inProcess = measureIndex(v4Count);

  log(`migrating and seeding ${new URL(databaseUrl).pathname.slice(1)}, flushing ${redisUrl}`);
  await migrate(root, databaseUrl, 120_000);
  await flushRedisDb(redisUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  const redis = new Redis(redisUrl);
  try {
    const seeded = performance.now();
    await seedScores(pool, v4Count, v6Count);
    log(`seeded ip_score in ${Math.round((performance.now() - seeded) / 1000)} s`);
    const { key } = await createBenchKey(pool);

    const quorum = await startQuorum(session, 'quorum');
    const witness = await startQuorum(session, 'quorum-2');
    const listedIp = formatIpv4(scoredIpv4(3));
    const expected = await probe(quorum.baseUrl, { method: 'GET', path: `/v1/ip/${listedIp}`, headers: { 'x-api-key': key } });
    if (expected.status !== 200) throw new Error(`quorum answered ${expected.status}: ${expected.body.toString('utf8')}`);
    log(`quorum answers ${expected.body.length} bytes: ${expected.body.toString('utf8')}`);
    const raw = await session.startChild({
      ...rawFastifyChild({ method: 'GET', path: '/v1/ip/:ip', ...expected }, await freePort(), options.startTimeoutSec * 1000),
      echoOutput: process.env.BENCH_VERBOSE === '1',
    });

    const { ips, counts } = lookupMix(4096, v4Count, v6Count);
    const paths = ips.map((ip) => `/v1/ip/${ip}`);
    const segments = await compare(raw, quorum, paths, key);
    const servers = compareToBaseline([
      summarise('raw-fastify', segments.raw),
      summarise('quorum', segments.quorum),
      summarise('quorum /healthz (floor)', segments.floor),
    ]);
    const serverIndex = await serverIndexFigures(quorum.baseUrl);
    const propagation = await measurePropagation(pool, redis, [quorum, witness], key);

    await Promise.all([quorum.stop(), witness.stop()]);
    const { rows } = await pool.query<{ n: string }>('SELECT coalesce(sum(lookups), 0)::text AS n FROM usage_counter');
    // Every 2xx lookup is metered: the probe, the load (warm-up included) and the propagation polls.
    const answered = 1 + propagation.answered + segments.quorum.concat(segments.quorumWarmup).reduce((n, s) => n + s.ok, 0);
    return printLookupReport({
      options,
      v4Count,
      v6Count,
      mix: counts,
      bodyBytes: expected.body.length,
      servers,
      inProcess,
      serverIndex,
      propagation,
      usage: { counted: Number(rows[0].n), answered },
      cpuPerAnswerUs: {
        raw: (segments.cpu.raw.cpuMs * 1000) / segments.cpu.raw.responses,
        quorum: (segments.cpu.quorum.cpuMs * 1000) / segments.cpu.quorum.responses,
        floor: (segments.cpu.floor.cpuMs * 1000) / segments.cpu.floor.responses,
      },
      cpus: availableParallelism(),
      load1m,
      broken: servers.some((s) => unhealthy(s)),
    });
  } finally {
    redis.disconnect();
    await pool.end().catch(() => undefined);
  }
});

async function startQuorum(session: BenchSession, name: string): Promise<RunningServer> {
  const port = await freePort();
  log(`starting ${name} (loads the index before /readyz answers 200)`);
  return session.startChild({
    name,
    command: process.execPath,
    args: [join(root, 'bin', 'quorum.js'), 'api'],
    cwd: root,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      QUORUM_LOG_LEVEL: 'warn',
      // Only pub/sub may carry a new generation during the propagation measurement.
      QUORUM_LOOKUP_POLL_MS: '600000',
    },
    port,
    readyPath: '/readyz',
    timeoutMs: options.startTimeoutSec * 1000,
    echoOutput: process.env.BENCH_VERBOSE === '1',
  });
}

type Side = 'raw' | 'floor' | 'quorum';

/** CPU time a server process tree used during its measured segments, and the answers it gave then. */
interface CpuUse {
  cpuMs: number;
  responses: number;
}

/**
 * Alternating rounds of the raw baseline, the lookup route, and (for context) quorum's own floor: its
 * unauthenticated GET /healthz through the same instance, which no route of the service can beat.
 */
async function compare(raw: RunningServer, quorum: RunningServer, paths: string[], key: string) {
  const loads: Record<Side, { server: RunningServer; paths: string[]; headers: Record<string, string> }> = {
    raw: { server: raw, paths, headers: {} },
    floor: { server: quorum, paths: ['/healthz'], headers: {} },
    quorum: { server: quorum, paths, headers: { 'x-api-key': key } },
  };
  const out: Record<Side | 'quorumWarmup', Segment[]> = { raw: [], floor: [], quorum: [], quorumWarmup: [] };
  const cpu: Record<Side, CpuUse> = { raw: { cpuMs: 0, responses: 0 }, floor: { cpuMs: 0, responses: 0 }, quorum: { cpuMs: 0, responses: 0 } };
  for (const name of ['raw', 'quorum'] as const) {
    log(`warming up ${name} for ${options.warmupSec}s`);
    const warm = await runPathLoad(loads[name].server.baseUrl, loads[name].paths, loads[name].headers, options.connections, options.warmupSec);
    if (warm.ok === 0) throw new Error(`${name} gave no 2xx answer during warm-up`);
    if (name === 'quorum') out.quorumWarmup.push(warm);
  }
  for (const run of interleavedSchedule(['raw', 'quorum', 'floor'], options.rounds)) {
    const name = run.server as Side;
    const load = loads[name];
    const cpuBefore = load.server.pid === undefined ? Number.NaN : await treeCpuMs(load.server.pid);
    const segment = await runPathLoad(load.server.baseUrl, load.paths, load.headers, options.connections, options.durationSec / options.rounds);
    const cpuAfter = load.server.pid === undefined ? Number.NaN : await treeCpuMs(load.server.pid);
    out[name].push(segment);
    cpu[name].cpuMs += cpuAfter - cpuBefore;
    cpu[name].responses += segment.responses;
    log(`round ${run.round + 1}/${options.rounds} ${name}: ${Math.round(segment.responses / segment.durationSec)} req/s, ${segment.non2xx} non-2xx`);
  }
  return { ...out, cpu };
}

/** Writes a new generation, publishes it, and times until every API process answers with it. */
async function measurePropagation(pool: pg.Pool, redis: Redis, servers: RunningServer[], key: string): Promise<Propagation> {
  const samples: number[] = [];
  let answered = 0;
  for (let n = 0; n < 5; n++) {
    const ip = formatIpv4(scoredIpv4(v4Count + 1_000 + n));
    const version = await writeGeneration(pool, ip, 9);
    const started = performance.now();
    await redis.publish(`${redisPrefix}:scores:version`, String(version));
    await Promise.all(
      servers.map(async (server) => {
        const deadline = started + 10_000;
        for (;;) {
          const res = await fetch(`${server.baseUrl}/v1/ip/${ip}`, { headers: { 'x-api-key': key } });
          const body = (await res.json()) as { reputation?: string };
          if (res.ok) answered++;
          if (body.reputation === 'malicious') return;
          if (performance.now() > deadline) throw new Error(`${server.name} never answered generation ${version}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }),
    );
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { samplesMs: samples, medianMs: samples[2], maxMs: samples[samples.length - 1], processes: servers.length, answered };
}
