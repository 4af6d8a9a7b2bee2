// npm run bench:ingest — signed signal batches end to end (HTTP, JWT, Ed25519 signature, validation,
// Redis ingest gate, one PostgreSQL multi-row write) from concurrent agents, against the ceiling
// measured in the same run: the same rows written by the same statement (SignalsRepository) straight
// from this process over pg, with as many concurrent writers and a pool as large as the server's.
// Settings: BENCH_DURATION (s per side, default 20), BENCH_WARMUP (default 3), BENCH_CONNECTIONS (agents,
// default 16), BENCH_ROUNDS (alternating service/ceiling rounds, default 1), BENCH_START_TIMEOUT,
// BENCH_BATCH_SIZE (default 100), BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/quorum_bench),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379/14, flushed), DATABASE_POOL_SIZE (both sides, default 10),
// BENCH_VERBOSE=1 (echo the server's output), BENCH_SERVER_NODE_ARGS (extra node flags for the server,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": NODE_OPTIONS refuses --cpu-prof).
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { PrismaService } from '../src/infra/prisma/prisma.service.js';
import { SignalsRepository } from '../src/signals/signals.repository.js';
import { freePort } from './lib/child-server.js';
import { interleavedSchedule } from './lib/schedule.js';
import { benchOptionsOrExit, runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { batchBody, generateSignals, signalRows, signedHeaders } from './ingest/batches.js';
import { createBenchOrganization, enrollAgents, flushRedisDb, migrateBenchDatabase, resetBenchTables, type BenchAgent } from './ingest/bench-data.js';
import { KeepAliveClient } from './ingest/http-client.js';
import { failedTooOften, jsonSummary, mergePhases, phaseTable, round, TARGETS, verdict } from './ingest/ingest-report.js';
import { type PhaseResult, runPhase, StepError, type StepOutcome } from './ingest/phase.js';

const options = benchOptionsOrExit({ durationSec: 20, warmupSec: 3, connections: 16, rounds: 1 });
const batchSize = intFromEnv('BENCH_BATCH_SIZE', 100, 1, 250);
const poolSize = intFromEnv('DATABASE_POOL_SIZE', 10, 1, 200);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const root = projectRoot();
const log = (message: string) => process.stderr.write(`bench:ingest: ${message}\n`);
// The ceiling's rows carry this owner so both sides can be counted apart in the same table.
const CEILING_OWNER = 'bench-ceiling-direct-insert';
const CEILING_AGENT = randomUUID();

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return value;
}

const budgetSec = Math.ceil(options.startTimeoutSec + 120 + 2 * (options.warmupSec + options.durationSec + options.rounds * 15) + 60);

await runBenchMain(budgetSec, async (session) => {
  const load1m = loadavg()[0];
  log(`migrating ${new URL(databaseUrl).pathname.slice(1)} and flushing ${redisUrl}`);
  await migrateBenchDatabase(root, databaseUrl, 120_000);
  await flushRedisDb(redisUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  let prisma: PrismaService | null = null;
  try {
    await resetBenchTables(pool);
    const { enrollKey } = await createBenchOrganization(pool);

    const port = await freePort();
    const server = await session.startChild({
      name: 'quorum',
      command: process.execPath,
      args: [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), join(root, 'bin', 'quorum.js'), 'api'],
      cwd: root,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: String(poolSize),
        REDIS_URL: redisUrl,
        REDIS_PREFIX: 'quorum-bench',
        QUORUM_LOG_LEVEL: 'warn',
        QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '10000',
        QUORUM_SIGNALS_MAX_PER_DAY: '100000000',
        QUORUM_SIGNALS_MAX_TARGETS_PER_DAY: '10000000',
        QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '10000',
        QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '10000',
        QUORUM_LOGIN_MAX_PER_WINDOW: '10000',
      },
      port,
      readyPath: '/healthz',
      timeoutMs: options.startTimeoutSec * 1000,
      echoOutput: process.env.BENCH_VERBOSE === '1',
    });

    const client = new KeepAliveClient(server.baseUrl, options.connections);
    try {
      const agents = await enrollAgents(client, enrollKey, options.connections);
      log(`${agents.length} agents enrolled and logged in over HTTP`);
      const serviceStep = (w: number) => pushBatch(client, agents[w]);
      // The service's own repository on a pool as large as the server's (transaction and advisory lock included).
      const config = loadConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize), REDIS_URL: redisUrl, QUORUM_LOG_LEVEL: 'warn' });
      prisma = new PrismaService(config);
      const repository = new SignalsRepository(prisma, config);
      const reporters = agents.map(() => randomBytes(16).toString('hex'));
      const ceilingStep = (w: number) => insertDirectly(repository, reporters[w]);

      const sides = { service: 'quorum (HTTP, end to end)', ceiling: 'ceiling (direct pg INSERT)' } as const;
      const steps = { service: serviceStep, ceiling: ceilingStep };
      const parts: Record<keyof typeof sides, PhaseResult[]> = { service: [], ceiling: [] };
      const totals = { service: 0, ceiling: 0 };
      const segment = options.durationSec / options.rounds;
      for (const run of interleavedSchedule(['service', 'ceiling'], options.rounds)) {
        const side = run.server as keyof typeof sides;
        if (parts[side].length === 0 && options.warmupSec > 0) {
          const warm = await runPhase(`${side} warm-up`, agents.length, options.warmupSec, steps[side]);
          totals[side] += warm.signalsTotal;
          if (warm.signals === 0) throw new Error(`${side} stored nothing during warm-up (${warm.firstError ?? 'no error'})`);
        }
        const result = await runPhase(sides[side], agents.length, segment, steps[side]);
        totals[side] += result.signalsTotal;
        parts[side].push(result);
        log(`round ${run.round + 1}/${options.rounds} ${side}: ${Math.round(result.signalsPerSec)} signals/s, ${result.errors} errors`);
      }

      const service = mergePhases(sides.service, parts.service);
      const ceiling = mergePhases(sides.ceiling, parts.ceiling);
      const counted = await pool.query<{ service: string; ceiling: string }>(
        'SELECT count(*) FILTER (WHERE owner <> $1) AS service, count(*) FILTER (WHERE owner = $1) AS ceiling FROM signal',
        [CEILING_OWNER],
      );
      const rows = { service: Number(counted.rows[0].service), ceiling: Number(counted.rows[0].ceiling) };
      return printResults(service, ceiling, totals, rows, load1m);
    } finally {
      client.close();
    }
  } finally {
    await prisma?.onApplicationShutdown();
    await pool.end().catch(() => undefined);
  }
});

async function pushBatch(client: KeepAliveClient, agent: BenchAgent): Promise<StepOutcome> {
  const body = batchBody(generateSignals(batchSize, Date.now()));
  const headers = signedHeaders(agent.id, agent.token, agent.privateKey, body);
  const started = performance.now();
  const answer = await client.post('/v1/signals', headers, body);
  const latencyMs = performance.now() - started;
  if (answer.status !== 200) throw new StepError(`HTTP ${answer.status}`, `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
  const result = JSON.parse(answer.body.toString('utf8')) as { accepted: number; rejected: unknown[] };
  return { accepted: result.accepted, rejectedItems: result.rejected.length, latencyMs };
}

async function insertDirectly(repository: SignalsRepository, reporter: string): Promise<StepOutcome> {
  const rows = signalRows(generateSignals(batchSize, Date.now()));
  const started = performance.now();
  // The ceiling writes what the service writes: the rows and the batch's nonce row.
  const context = {
    receivedAt: new Date(), reporter, owner: CEILING_OWNER, reporterAsn: null, reporterNet: null, reporterCountry: null, source: 'quorum' as const,
    agentId: CEILING_AGENT, nonce: randomBytes(18).toString('base64url'), nonceExpiresAt: new Date(Date.now() + 600_000),
  };
  const stored = await repository.insertBatch(context, rows);
  return { accepted: stored.inserted, rejectedItems: rows.length - stored.inserted, latencyMs: performance.now() - started };
}

function printResults(
  service: PhaseResult,
  ceiling: PhaseResult,
  answered: { service: number; ceiling: number },
  rows: { service: number; ceiling: number },
  load1m: number,
): boolean {
  const ratio = ceiling.signalsPerSec > 0 ? service.signalsPerSec / ceiling.signalsPerSec : Number.NaN;
  const p99 = service.latencies.percentile(99);
  const checks = [
    { name: `accepted signals/s >= ${TARGETS.signalsPerSec.toLocaleString('en-US')}`, value: Math.round(service.signalsPerSec).toLocaleString('en-US'), ok: service.signalsPerSec >= TARGETS.signalsPerSec },
    { name: `ratio to the ceiling >= ${TARGETS.ratio}`, value: ratio.toFixed(2), ok: ratio >= TARGETS.ratio },
    { name: `batch p99 <= ${TARGETS.p99Ms} ms`, value: `${p99.toFixed(1)} ms`, ok: p99 <= TARGETS.p99Ms },
  ];
  const stored = {
    service: rows.service === answered.service,
    ceiling: rows.ceiling === answered.ceiling,
  };
  const lines = [
    '',
    `bench:ingest: POST /v1/signals from ${service.workers} agents (one keep-alive connection each), signed batches of ${batchSize} signals, ` +
      `${options.durationSec}s measured per side${options.rounds > 1 ? ` in ${options.rounds} alternating rounds` : ''}, ${options.warmupSec}s warm-up`,
    `ceiling: the same rows through SignalsRepository.insertBatch (same statement) from this process, ${ceiling.workers} concurrent writers, pool of ${poolSize} (the server's DATABASE_POOL_SIZE)`,
    `client (batch building + Ed25519 signing), API server, PostgreSQL and Redis share ${availableParallelism()} CPUs (1 min load average ${load1m.toFixed(2)} at start)`,
    '',
    phaseTable([ceiling, service]),
    '',
    `ratio service / ceiling: ${ratio.toFixed(2)}`,
    `stored rows: service answered ${answered.service} accepted, table holds ${rows.service} (${stored.service ? 'match' : 'MISMATCH'}); ` +
      `ceiling inserted ${answered.ceiling}, table holds ${rows.ceiling} (${stored.ceiling ? 'match' : 'MISMATCH'})`,
    '',
    'targets:',
    ...checks.map((c) => `  ${c.name.padEnd(30)} ${c.value.padStart(10)}  ${verdict(c.ok)}`),
    '',
  ];
  for (const side of [service, ceiling]) {
    if (side.errors > 0) lines.push(`${side.name}: errors ${JSON.stringify(side.errorKinds)}, first: ${side.firstError}`);
  }
  const broken = failedTooOften(service) || failedTooOften(ceiling) || !stored.service || !stored.ceiling;
  if (broken) lines.push('RUN BROKEN: too many failed batches, or the table does not hold what was acknowledged; figures are not meaningful');
  process.stdout.write(`${lines.join('\n')}\n`);
  const summary = {
    bench: 'bench:ingest',
    agents: service.workers,
    batchSize,
    durationSec: options.durationSec,
    rounds: options.rounds,
    warmupSec: options.warmupSec,
    poolSize,
    cpus: availableParallelism(),
    loadAverage1m: round(load1m, 2),
    node: process.version,
    service: jsonSummary(service),
    ceiling: jsonSummary(ceiling),
    ratio: round(ratio),
    storedRows: rows,
    acknowledged: answered,
    targets: Object.fromEntries(checks.map((c) => [c.name, c.ok])),
    ok: !broken,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return !broken;
}
