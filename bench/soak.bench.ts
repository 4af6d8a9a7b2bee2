// npm run bench:soak [-- --minutes N --targets all,split --ceiling-rates 3000,6000,10000 --step-seconds 60 --no-ceiling]
//
// Sustained mixed load (issue 24): 3,000 signals/s from 20 agents in signed batches of 100 (IPs from a
// pool of 200k), 500 lookups/s, one blocklist delta poll per second, for --minutes (default 10), against
// `quorum all` (API, worker in its child process) and against separate `quorum api` + `quorum worker`
// processes. Per minute: p50/p99 per request class, the API's event-loop lag, scoring run times, the
// scoring queue, signals not yet scored, RSS, and the machine's load average; then bytes per signal,
// a verdict per target, and the throughput ceiling: the highest signals/s at which scoring keeps up
// (the trend of unscored signals and the queue do not grow), lookups still at 500/s. The baseline printed
// with each target is its idle lookup latency, measured in the same run before the load starts.
// Settings: BENCH_DATABASE_URL (default quorum_bench_soak), BENCH_REDIS_URL (default db 12),
// BENCH_VERBOSE=1 echoes the servers' output.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { batchBody, routableIpv4, signedHeaders } from './ingest/batches.js';
import { type BenchAgent, createBenchOrganization, enrollAgents, flushRedisDb, migrateBenchDatabase } from './ingest/bench-data.js';
import { KeepAliveClient } from './ingest/http-client.js';
import { startChildProcess } from './lib/child-process.js';
import { freePort, type RunningServer } from './lib/child-server.js';
import { type BenchSession, runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { ratio } from './lib/stats.js';
import { createBenchKey } from './lookup/bench-db.js';
import { prng } from './lookup/ip-mix.js';
import { benchReporters, DirectSignals } from './soak/direct-signals.js';
import { MixedLoad } from './soak/mixed-load.js';
import { eventLoopLag, median, ownRssMb, rssMb, ScoringQueueProbe, scoringBacklog, slope, storageFigures } from './soak/observe.js';
import { type CeilingStep, minuteHeader, minuteLine, type MinuteRow, verdict } from './soak/report.js';

type Target = 'all' | 'split' | 'in-process';

interface Started {
  api: RunningServer;
  pids: number[];
  servers: RunningServer[];
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const minutes = Number(flag('--minutes') ?? 10);
const targets = (flag('--targets') ?? 'all,split').split(',') as Target[];
const ceilingRates = (flag('--ceiling-rates') ?? '3000,6000,10000,15000,20000').split(',').map(Number);
const stepSeconds = Number(flag('--step-seconds') ?? 60);
const ceilingEnabled = !process.argv.includes('--no-ceiling');
if (!(minutes >= 1) || targets.some((t) => !['all', 'split', 'in-process'].includes(t)) || ceilingRates.some((r) => !(r > 0)) || !(stepSeconds >= 10)) {
  process.stderr.write('usage: soak.bench [--minutes N>=1] [--targets all,split,in-process] [--ceiling-rates r1,r2,...] [--step-seconds S>=10] [--no-ceiling]\n');
  process.exit(2);
}

const SIGNALS_PER_SEC = 3_000;
const BATCH = 100;
const AGENTS = 20;
const POOL = 200_000;
const LOOKUPS_PER_SEC = 500;
const DELTA_POLLS_PER_SEC = 1;
const REDIS_PREFIX = 'quorum-bench-soak';
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_bench_soak';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const root = projectRoot();
const bin = join(root, 'bin', 'quorum.js');
const log = (m: string) => process.stderr.write(`bench:soak: ${m}\n`);
const out = (m: string) => process.stdout.write(`${m}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const serverEnv = (port: number): Record<string, string> => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX,
  QUORUM_LOG_LEVEL: 'warn',
  QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '10000',
  QUORUM_SIGNALS_MAX_PER_DAY: '100000000',
  QUORUM_SIGNALS_MAX_TARGETS_PER_DAY: '10000000',
  QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '10000',
  QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '10000',
  QUORUM_LOGIN_MAX_PER_WINDOW: '10000',
});

async function startTarget(session: BenchSession, target: Target, probe: ScoringQueueProbe): Promise<Started> {
  const port = await freePort();
  const echoOutput = process.env.BENCH_VERBOSE === '1';
  const args = target === 'split' ? ['api'] : target === 'in-process' ? ['all', '--in-process'] : ['all'];
  const api = await session.startChild({ name: `quorum ${args.join(' ')}`, command: process.execPath, args: [bin, ...args], cwd: root, env: serverEnv(port), port, readyPath: '/readyz', timeoutMs: 120_000, echoOutput });
  const pids = [api.pid ?? 0];
  const servers = [api];
  if (target === 'split') {
    const worker = await startChildProcess({
      name: 'quorum worker',
      command: process.execPath,
      args: [bin, 'worker'],
      cwd: root,
      env: serverEnv(0),
      ready: async () => (await probe.workers()) > 0,
      timeoutMs: 120_000,
      echoOutput,
    });
    session.adopt(worker);
    servers.push(worker);
    pids.push(worker.pid ?? 0);
  } else {
    // `quorum all` forks its worker: wait until it consumes the scoring queue.
    const deadline = Date.now() + 120_000;
    while ((await probe.workers()) === 0 && Date.now() < deadline) await sleep(200);
  }
  return { api, pids, servers };
}

/** 20 agents in 20 organisations (distinct owners), aged and trusted like established reporters. */
async function prepareAgents(pool: pg.Pool, client: KeepAliveClient): Promise<BenchAgent[]> {
  const agents: BenchAgent[] = [];
  for (let i = 0; i < AGENTS; i++) agents.push(...(await enrollAgents(client, (await createBenchOrganization(pool)).enrollKey, 1)));
  for (const agent of agents) {
    const now = Date.now();
    const body = batchBody([{ ip: routableIpv4(), uuid: randomUUID(), startedAt: new Date(now - 60_000).toISOString(), stoppedAt: new Date(now - 1_000).toISOString() }]);
    const res = await client.post('/v1/signals', signedHeaders(agent.id, agent.token, agent.privateKey, body), body);
    if (res.status !== 200) throw new Error(`first batch answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  }
  const { rows } = await pool.query<{ pseudonym: string }>('SELECT pseudonym FROM reporter ORDER BY pseudonym');
  for (let i = 0; i < rows.length; i++) {
    await pool.query("UPDATE reporter SET enrolled_at = now() - interval '200 days', alpha = 60, beta = 3, asn = $2, net = $3 WHERE pseudonym = $1", [rows[i].pseudonym, 64_600 + i, `bench-net-${i}`]);
  }
  // The worker reloads reporters when the persisted generation moves past its own.
  await pool.query('UPDATE consensus_cursor SET generation = generation + 1000');
  return agents;
}

interface TargetResult {
  target: Target;
  rows: MinuteRow[];
  idleLookup: [number, number];
  ceiling: number | null;
  steps: CeilingStep[];
  pass: boolean;
}

async function soakTarget(session: BenchSession, target: Target): Promise<TargetResult> {
  await migrateBenchDatabase(root, databaseUrl, 180_000);
  await flushRedisDb(redisUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const probe = new ScoringQueueProbe(redisUrl, REDIS_PREFIX);
  let load: MixedLoad | null = null;
  let server: Started | null = null;
  try {
    await pool.query(
      'TRUNCATE signal, signal_batch_nonce, agent, enrollment_key, reporter_key, organization, reporter, ip_score, listing_explanation, blocklist_entry, blocklist_version RESTART IDENTITY CASCADE',
    );
    await pool.query('DELETE FROM consensus_cursor');
    const apiKey = (await createBenchKey(pool)).key;
    server = await startTarget(session, target, probe);
    const client = new KeepAliveClient(server.api.baseUrl, 4);
    const agents = await prepareAgents(pool, client);
    client.close();
    const random = prng(24);
    const ips = Array.from({ length: POOL }, () => routableIpv4(random));
    const spec = { baseUrl: server.api.baseUrl, agents, apiKey, pool: ips, signalsPerSec: SIGNALS_PER_SEC, batchSize: BATCH, lookupsPerSec: LOOKUPS_PER_SEC, deltaPollsPerSec: DELTA_POLLS_PER_SEC };

    // Baseline of the same run: lookups alone on the idle service.
    const idle = new MixedLoad({ ...spec, signalsPerSec: 0, deltaPollsPerSec: 0 });
    idle.start();
    await sleep(10_000);
    await idle.stop();
    idle.close();
    const idleWindow = idle.takeWindow().lookup;
    const idleLookup: [number, number] = [idleWindow.latencies.percentile(50), idleWindow.latencies.percentile(99)];
    log(`${target}: idle lookup p50/p99 ${idleLookup[0].toFixed(2)}/${idleLookup[1].toFixed(2)} ms; soaking ${minutes} min`);
    await eventLoopLag(server.api.baseUrl);

    load = new MixedLoad(spec);
    const rows: MinuteRow[] = [];
    out(`\n== ${target === 'split' ? 'quorum api + quorum worker (two processes)' : target === 'all' ? 'quorum all (worker in its child process)' : 'quorum all --in-process (one event loop)'} ==`);
    out(minuteHeader());
    load.start();
    for (let minute = 1; minute <= minutes; minute++) {
      const row = await observeWindow(load, server, probe, pool, 60_000, minute);
      rows.push(row);
      out(minuteLine(row));
    }

    // Storage of the signals as the soak stored them (before the ceiling search adds direct rows without uuids).
    const storage = await storageFigures(pool);
    let ceiling: number | null = null;
    const steps: CeilingStep[] = [];
    if (ceilingEnabled) {
      const direct = new DirectSignals(pool, await benchReporters(pool), ips);
      try {
        for (const rate of ceilingRates) {
          const step = await ceilingStep(load, direct, server, probe, pool, rate);
          steps.push(step);
          out(
            `ceiling step ${rate} signals/s (HTTP ${Math.min(rate, SIGNALS_PER_SEC)} + direct ${Math.max(0, rate - SIGNALS_PER_SEC)}): stored ${step.acceptedPerSec.toFixed(0)}/s, ` +
              `unscored backlog trend ${step.backlogGrowth >= 0 ? '+' : ''}${step.backlogGrowth.toFixed(0)}/s, runs waiting max ${step.maxWaiting}, lookup p99 ${step.lookupP99Ms.toFixed(1)} ms: ` +
              `${step.keepsUp ? 'keeps up' : `falls behind (${step.reason})`}`,
          );
          if (!step.keepsUp) break;
          ceiling = rate;
        }
      } finally {
        await direct.stop();
      }
      ceiling ??= 0;
    }
    await load.stop();
    const warm = rows.filter((r) => r.minute > 2);
    const rssSlope = slope(warm.map((r) => r.minute), warm.map((r) => r.rssMb));
    const v = verdict(rows, storage, rssSlope, ceiling);
    out(`storage: ${storage.signals} signals, ${storage.bytesPerSignal.toFixed(0)} B per signal (signal partitions ${(storage.signalBytes / 1_048_576).toFixed(1)} MB); blocklist rows ${storage.blocklistRows}`);
    const p99s = rows.map((r) => r.lookup[1]);
    out(`baseline (idle, same run): lookup p50/p99 ${idleLookup[0].toFixed(2)}/${idleLookup[1].toFixed(2)} ms; under load, median minute p99 = ${ratio(median(p99s), idleLookup[1]).toFixed(2)}x idle`);
    for (const c of v.checks) out(`  ${c.ok ? 'PASS' : 'MISS'}  ${c.name}: ${c.detail}`);
    out(`VERDICT ${target}: ${v.pass ? 'PASS' : 'MISS'} (${minutes} min, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    out(JSON.stringify({ bench: 'soak', target, minutes, idleLookup, rows, steps, ceiling, storage, rssSlope, pass: v.pass }));
    return { target, rows, idleLookup, ceiling, steps, pass: v.pass };
  } finally {
    if (load) {
      await load.stop();
      load.close();
    }
    if (server) for (const s of server.servers) await s.stop();
    await probe.close();
    await pool.end();
  }
}

async function observeWindow(load: MixedLoad, server: Started, probe: ScoringQueueProbe, pool: pg.Pool, ms: number, minute: number): Promise<MinuteRow> {
  const from = Date.now();
  const acceptedBefore = load.acceptedSignals;
  let maxWaiting = 0;
  let maxDelayed = 0;
  const backlogAt: number[] = [];
  const backlogs: number[] = [];
  while (Date.now() - from < ms) {
    const q = await probe.sample().catch(() => null);
    if (q) {
      maxWaiting = Math.max(maxWaiting, q.waiting);
      maxDelayed = Math.max(maxDelayed, q.delayed);
    }
    const backlog = await scoringBacklog(pool).catch(() => null);
    if (backlog !== null) {
      backlogAt.push((Date.now() - from) / 1000);
      backlogs.push(backlog);
    }
    await sleep(1_000 - ((Date.now() - from) % 1_000));
  }
  const to = Date.now();
  const w = load.takeWindow();
  const lag = await eventLoopLag(server.api.baseUrl);
  const { runs, busyMs } = await probe.runTimes(from, to).catch(() => ({ runs: [] as number[], busyMs: Number.NaN }));
  return {
    minute,
    lookup: [w.lookup.latencies.percentile(50), w.lookup.latencies.percentile(99)],
    signals: [w.signals.latencies.percentile(50), w.signals.latencies.percentile(99)],
    delta: [w.delta.latencies.percentile(50), w.delta.latencies.percentile(99)],
    failed: w.lookup.failed + w.signals.failed + w.delta.failed,
    shed: w.lookup.shed + w.signals.shed + w.delta.shed,
    acceptedPerSec: ((load.acceptedSignals - acceptedBefore) * 1000) / (to - from),
    lagP99Ms: lag?.p99Ms ?? Number.NaN,
    lagMaxMs: lag?.maxMs ?? Number.NaN,
    runs: runs.length,
    runMedianMs: median(runs),
    runMaxMs: runs.length > 0 ? Math.max(...runs) : Number.NaN,
    scoringBusyPct: (busyMs * 100) / (to - from),
    maxWaiting,
    maxDelayed,
    backlog: await scoringBacklog(pool),
    backlogSlopePerSec: slope(backlogAt, backlogs),
    rssMb: await rssMb(server.pids),
    apiRssMb: await ownRssMb(server.pids[0]),
    load1: loadavg()[0],
  };
}

/**
 * One step of the ceiling search: `rate` signals/s for --step-seconds, through HTTP up to the soak's
 * rate and written directly beyond it (direct-signals.ts). The first third settles; over the rest the
 * signals not yet scored are sampled every second. Between runs that backlog saws up and down (it
 * drops at each run), so scoring keeps up when its least-squares trend grows by less than 2 % of the
 * rate, and no more than 2 runs ever wait. Less than 95 % of the rate stored means the load could not
 * be produced (reported as such, and the search stops).
 */
async function ceilingStep(load: MixedLoad, direct: DirectSignals, server: Started, probe: ScoringQueueProbe, pool: pg.Pool, rate: number): Promise<CeilingStep> {
  load.setSignalsPerSec(Math.min(rate, SIGNALS_PER_SEC));
  direct.setRate(Math.max(0, rate - SIGNALS_PER_SEC));
  const third = Math.round((stepSeconds * 1000) / 3);
  load.takeWindow();
  await observeWindow(load, server, probe, pool, third, 0);
  const writtenBefore = direct.written;
  const startedAt = Date.now();
  const row = await observeWindow(load, server, probe, pool, stepSeconds * 1000 - third, 0);
  const stored = row.acceptedPerSec + ((direct.written - writtenBefore) * 1000) / (Date.now() - startedAt);
  const growth = row.backlogSlopePerSec;
  const reasons: string[] = [];
  if (!(growth < rate * 0.02)) reasons.push(`unscored signals grow by ${growth.toFixed(0)}/s`);
  if (row.maxWaiting > 2) reasons.push(`${row.maxWaiting} runs waiting`);
  if (stored < rate * 0.95) reasons.push(`the load reached only ${stored.toFixed(0)}/s`);
  return { rate, acceptedPerSec: stored, backlogGrowth: growth, maxWaiting: row.maxWaiting, lookupP99Ms: row.lookup[1], keepsUp: reasons.length === 0, reason: reasons.join(', ') };
}

const ceilingBudget = ceilingEnabled ? ceilingRates.length * (stepSeconds + 30) : 0;
await runBenchMain(targets.length * (minutes * 60 + ceilingBudget + 420), async (session) => {
  out(`bench:soak — ${SIGNALS_PER_SEC} signals/s (${AGENTS} agents, batches of ${BATCH}, pool ${POOL} IPs), ${LOOKUPS_PER_SEC} lookups/s, ${DELTA_POLLS_PER_SEC} delta poll/s; ${minutes} min per target; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results: TargetResult[] = [];
  for (const target of targets) {
    results.push(await soakTarget(session, target));
  }
  out('');
  for (const r of results) out(`${r.target.padEnd(10)} ${r.pass ? 'PASS' : 'MISS'}  ceiling ${r.ceiling ?? '-'} signals/s`);
  return results.every((r) => r.pass);
});
