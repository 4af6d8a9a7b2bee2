// npm run bench:scale — the ceiling of one consensus worker (issue 21 item 5, docs/scaling.md "The
// ceiling of one worker"). Synthetic engines on the real ConsensusRuntime, snapshots through the real
// snapshot service on PostgreSQL, signal reads through the real repository query:
//   1. engine memory per tracked IP (at BENCH_SCALE_IPS tracked IPs, default 250k and 1M; larger sizes
//      are extrapolated linearly from the measured ones, and said so) and per reporter;
//   2. snapshot size and time (capture, gzip + write), restore time (read + gunzip + rebuild), for the
//      binary format workers write (2) and, in the same run, the JSON-lines format earlier builds wrote (1);
//   3. tail replay rate (signals/s into the restored engine) and the full replay of the same history
//      (PostgreSQL read rate measured on a slice of real signal rows + the engine's replay rate);
//   4. extrapolated: full replay of 7 days at 5M and 20M signals/day vs restore + 10 minutes of tail,
//      ratio against the full replay (the baseline, same run), for either snapshot format; target >= 20x.
// Settings: BENCH_SCALE_IPS (comma list, default 250000,1000000), BENCH_SCALE_REPORTERS (5000),
// BENCH_SCALE_REPEATS (mean signals per reporter and IP, default 4; 1.9 reporters per IP on average),
// BENCH_SCALE_DB_ROWS (500000 signal rows for the read-rate slice), BENCH_DATABASE_URL (default
// postgresql://postgres@127.0.0.1:5432/quorum_bench_scale, recreated). Run with --expose-gc.
import { loadavg } from 'node:os';
import pg from 'pg';
import { ConsensusMatchers } from '../src/consensus/consensus-matchers.js';
import { ConsensusRepository } from '../src/consensus/consensus.repository.js';
import { ConsensusRuntime, type RuntimeOptions } from '../src/consensus/consensus-runtime.js';
import type { ScoringSignal } from '../src/consensus/consensus.types.js';
import { ConsensusSnapshotRepository } from '../src/consensus/snapshot/consensus-snapshot.repository.js';
import { ConsensusSnapshots, type RestoreBounds } from '../src/consensus/snapshot/consensus-snapshot.service.js';
import { engineCompat, paramsHash } from '../src/consensus/snapshot/engine-compat.js';
import { encodeJsonLinesSnapshot, JSON_LINES_FORMAT } from '../src/consensus/snapshot/json-lines-format.js';
import { SNAPSHOT_FORMAT, type SnapshotCursor } from '../src/consensus/snapshot/snapshot-codec.js';
import type { AppConfig } from '../src/config/app-config.js';
import { poolDb } from '../src/infra/prisma/db.js';
import { applyMigrations } from '../src/infra/prisma/migrate/migrate.js';
import { partitionFor } from '../src/signals/signal-partitions.js';
import { SignalsFeed } from '../src/signals/signals-feed.js';
import { SignalsFeedRepository } from '../src/signals/signals-feed.repository.js';
import { dropDatabase, ensureDatabase } from '../src/infra/prisma/migrate/database-admin.js';

const DAY = 86_400_000;
const TICK_MS = 15_000;
const WINDOW_MS = 7 * DAY;
const TAIL_MS = 10 * 60_000;

const list = (name: string, fallback: string): number[] =>
  (process.env[name] ?? fallback).split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const sizes = list('BENCH_SCALE_IPS', '250000,1000000');
const repeats = list('BENCH_SCALE_REPEATS', '4')[0] ?? 4;
const reporterCount = list('BENCH_SCALE_REPORTERS', '5000')[0] ?? 5000;
const dbRows = list('BENCH_SCALE_DB_ROWS', '500000')[0] ?? 500_000;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_bench_scale';
const log = (message: string) => process.stderr.write(`bench:scale: ${message}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('bench:scale needs node --expose-gc (npm run bench:scale passes it)\n');
  process.exit(2);
}

/** This process's CPU time in ms (user + system): what the machine's load does not inflate. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function memory(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Deterministic per-IP randomness (mulberry32 of the index). */
function rand(i: number, salt: number): number {
  let t = (i * 0x9e3779b1 + salt) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const ipOf = (i: number) => `20.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

/** Most IPs are seen by one reporter, a few by many: 60 % 1, 25 % 2, 10 % 3-5, 5 % 6-10. */
function votersOf(i: number): number {
  const u = rand(i, 1);
  if (u < 0.6) return 1;
  if (u < 0.85) return 2;
  if (u < 0.95) return 3 + Math.floor(rand(i, 2) * 3);
  return 6 + Math.floor(rand(i, 3) * 5);
}

const SCENARIOS = ['crowdsecurity/ssh-bf', 'crowdsecurity/http-probing', 'crowdsecurity/http-bad-user-agent', 'crowdsecurity/ssh-slow-bf'];

/** The signals of IPs [from, to) of a history of `total` IPs spread over the window, in time order. */
function signalsOf(from: number, to: number, total: number, start: number, idBase: { next: number }): ScoringSignal[] {
  const out: ScoringSignal[] = [];
  for (let i = from; i < to; i++) {
    const at = start + Math.floor((i / total) * WINDOW_MS);
    const n = votersOf(i);
    for (let v = 0; v < n; v++) {
      const r = Math.floor(rand(i, 10 + v) * reporterCount);
      // Each reporter sees the IP again a few times (geometric, mean BENCH_SCALE_REPEATS), a minute apart.
      const reps = 1 + Math.floor(-Math.log(1 - rand(i, 30 + v)) * (repeats - 1));
      for (let j = 0; j < reps; j++) {
        const when = new Date(at + v * 1_000 + j * 60_000);
        out.push({ id: BigInt(idBase.next++), receivedAt: when, reporter: `rep-${r}`, owner: `own-${r >> 1}`, ipKey: ipOf(i), scope: 'ip', scenario: SCENARIOS[(i + v) & 3], at: when, weight: 1 });
      }
    }
  }
  return out;
}

function options(): RuntimeOptions {
  const matchers = new ConsensusMatchers();
  matchers.load({ categoryOf: () => null }, []);
  return { params: { tickMs: TICK_MS }, matchers, isProtected: () => false };
}

function registerReporters(runtime: ConsensusRuntime, count: number, now: number): void {
  for (let r = 0; r < count; r++) {
    runtime.registerReporter({ pseudonym: `rep-${r}`, owner: `own-${r >> 1}`, kind: 'community', asn: 64_000 + (r % 800), net: `net-${r % 3000}`, country: 'FR', enrolledAt: new Date(now - 200 * DAY), alpha: 20 + (r % 40), beta: 3, quarantinedAt: null });
  }
}

/** Replays a history of `ips` IPs over the 7-day window in chunks (ticks every TICK_MS of simulated time). */
function buildHistory(runtime: ConsensusRuntime, ips: number, start: number): { signals: number; ms: number; cpu: number } {
  const chunk = 50_000;
  const ids = { next: 1 };
  let signals = 0;
  let ms = 0;
  let cpu = 0;
  let tickFrom = start;
  for (let i = 0; i < ips; i += chunk) {
    const end = Math.min(ips, i + chunk);
    const batch = signalsOf(i, end, ips, start, ids);
    const to = end === ips ? start + WINDOW_MS : start + Math.floor((end / ips) * WINDOW_MS);
    const t0 = performance.now();
    const c0 = cpuMs();
    runtime.replay(batch, tickFrom, to, TICK_MS);
    ms += performance.now() - t0;
    cpu += cpuMs() - c0;
    tickFrom = to;
    signals += batch.length;
  }
  return { signals, ms, cpu };
}

function config(): AppConfig {
  return { consensus: { snapshotEveryMinutes: 1, snapshotKeep: 1, params: {}, tickMs: TICK_MS, replayHours: 168, recomputeIntervalMs: DAY, leaderPollMs: 2_000 } } as unknown as AppConfig;
}

/** A fresh, empty database (dropped first when it exists). */
async function recreate(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
}

/** What the repositories use of PrismaService: raw SQL on the pool (src/infra/prisma/db.ts). */
const prismaOf = (pool: pg.Pool) => ({ pool, db: poolDb({} as never, pool) }) as never;

/** Rows/s of the scoring read (ConsensusRepository.signalsAfter, batches of 50,000) over `rows` stored signals. */
async function dbReadRate(pool: pg.Pool, rows: number): Promise<number> {
  const now = Date.now();
  const p = partitionFor(Math.floor(now / DAY) * DAY);
  await pool.query(`CREATE TABLE IF NOT EXISTS "${p.name}" PARTITION OF "signal" FOR VALUES FROM ('${p.from} 00:00:00+00') TO ('${p.to} 00:00:00+00')`);
  for (let done = 0; done < rows; done += 100_000) {
    const n = Math.min(100_000, rows - done);
    await pool.query(
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       SELECT now() - interval '1 minute', 'rep-' || (g % ${reporterCount}), 'own-' || (g % ${reporterCount} / 2), 'agent',
              '20.' || (g >> 16 & 255) || '.' || (g >> 8 & 255) || '.' || (g & 255), '20.' || (g >> 16 & 255) || '.' || (g >> 8 & 255) || '.' || (g & 255),
              'ip', 'crowdsecurity/ssh-bf', now() - interval '2 minutes', now() - interval '1 minute', 1
       FROM generate_series($1::int, $2::int) g`,
      [done, done + n - 1],
    );
  }
  await pool.query('ANALYZE signal');
  const repository = new ConsensusRepository(prismaOf(pool), new SignalsFeed(new SignalsFeedRepository(prismaOf(pool))));
  const since = new Date(now - DAY);
  const t0 = performance.now();
  let read = 0;
  let last = 0n;
  for (;;) {
    const batch = await repository.signalsAfter(last, since, 50_000);
    read += batch.length;
    if (batch.length > 0) last = batch[batch.length - 1].id;
    if (batch.length < 50_000) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  log(`read ${read} signal rows in ${seconds.toFixed(1)} s`);
  return read / seconds;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1048576, 1)} MB`;

interface SizeFigures {
  ips: number;
  tracked: number;
  signals: number;
  bytesPerIp: number;
  replayRate: number;
  /** CPU µs per replayed signal, per tail signal */
  cpu: { replay: number; tail: number };
  /** Format 2 (binary, what workers write) and format 1 (JSON lines, what earlier builds wrote). */
  binary: FormatFigures;
  jsonLines: FormatFigures;
  tailRate: number;
  listed: number;
}

interface FormatFigures {
  /** The copy taken under the scoring lock (captureRuntime, or runtime.image() for format 1). */
  captureMs: number;
  saveMs: number;
  snapshotBytes: number;
  rawBytes: number;
  restoreMs: number;
  /** CPU µs per restored IP. */
  restoreCpu: number;
}

/**
 * Writes `runtime` in format 1 as earlier builds did (their capture: `runtime.image()`), for the
 * before/after comparison in one run; the row is newer than the format-2 one saved before it.
 */
async function saveJsonLines(runtime: ConsensusRuntime, cursor: SnapshotCursor, snapshots: ConsensusSnapshots, repository: ConsensusSnapshotRepository) {
  const compat = engineCompat();
  const hash = paramsHash(snapshots.runtimeParams());
  // Both captures start on a collected heap, so neither pays for the other's garbage.
  memory();
  const t0 = performance.now();
  const image = runtime.image();
  const captureMs = performance.now() - t0;
  const id = await repository.begin({ generation: cursor.generation, lastSignalId: cursor.lastSignalId, runAt: new Date(cursor.runAt), formatVersion: JSON_LINES_FORMAT, engineVersion: compat.engineVersion, paramsHash: hash });
  const head = { format: SNAPSHOT_FORMAT, formatVersion: JSON_LINES_FORMAT, engineVersion: compat.engineVersion, shape: compat.shape, paramsHash: hash, cursor };
  const done = await encodeJsonLinesSnapshot(image, head, (chunk, seq) => repository.addChunk(id, seq, chunk));
  await repository.finish(id, done);
  return { id, captureMs, saveMs: performance.now() - t0, bytes: done.bytes, rawBytes: done.rawBytes };
}

/** Restores the newest snapshot (which must be `expectedId`) in a process that holds no other engine. */
async function timedRestore(snapshots: ConsensusSnapshots, bounds: RestoreBounds, expectedId: bigint, listed: number) {
  memory();
  const t0 = performance.now();
  const c0 = cpuMs();
  const restored = await snapshots.restoreNewest(options(), bounds);
  const ms = performance.now() - t0;
  const cpu = cpuMs() - c0;
  if (!restored || restored.snapshotId !== expectedId) throw new Error(`snapshot ${expectedId} not restored`);
  if (restored.runtime.listed().length !== listed) throw new Error('restored engine differs');
  return { runtime: restored.runtime, ms, cpu };
}

/** Builds the engine of a history of `ips` IPs and saves its snapshot in both formats; the engine is let go on return. */
async function buildAndSave(ips: number, start: number, snapshots: ConsensusSnapshots, repository: ConsensusSnapshotRepository) {
  const runtime = new ConsensusRuntime(options());
  registerReporters(runtime, reporterCount, start);
  const withReporters = memory();
  const built = buildHistory(runtime, ips, start);
  const used = memory() - withReporters;
  const tracked = runtime.engine.state.ips.size;
  const listed = runtime.listed().length;
  log(`${fmt(ips)} IPs: ${fmt(built.signals)} signals replayed in ${fmt(built.ms / 1000, 1)} s, ${mb(used)} (${fmt(used / tracked)} B per tracked IP), ${fmt(listed)} listed`);
  const end = start + WINDOW_MS;
  const cursor: SnapshotCursor = { lastSignalId: BigInt(built.signals), generation: 1n, runAt: end, gapIds: [] };
  memory();
  const saved = await snapshots.save(runtime, cursor, true);
  if (!saved) throw new Error('snapshot not saved');
  log(`${fmt(ips)} IPs: binary snapshot ${mb(saved.bytes)} (raw ${mb(saved.rawBytes)}), capture ${fmt(saved.captureMs)} ms, saved in ${fmt(saved.totalMs / 1000, 1)} s`);
  const legacy = await saveJsonLines(runtime, cursor, snapshots, repository);
  log(`${fmt(ips)} IPs: JSON-lines snapshot ${mb(legacy.bytes)} (raw ${mb(legacy.rawBytes)}), capture ${fmt(legacy.captureMs)} ms, saved in ${fmt(legacy.saveMs / 1000, 1)} s`);
  return { built, used, tracked, listed, saved, legacy, end };
}

async function measureSize(ips: number, snapshots: ConsensusSnapshots, repository: ConsensusSnapshotRepository): Promise<SizeFigures> {
  const start = Date.now() - WINDOW_MS - TAIL_MS;
  // A worker restores in a process that holds no other engine: the built one is gone before the restore.
  const { built, used, tracked, listed, saved, legacy, end } = await buildAndSave(ips, start, snapshots, repository);
  const bounds: RestoreBounds = { cursor: { lastSignalId: BigInt(built.signals), generation: 1n }, horizonMs: 0 };
  // Format 1 first (the newest row), let go, removed; then format 2, which gets the tail.
  const before = await timedRestore(snapshots, bounds, legacy.id, listed);
  log(`${fmt(ips)} IPs: JSON-lines restore ${fmt(before.ms / 1000, 1)} s (CPU ${fmt(before.cpu / 1000, 1)} s)`);
  await repository.discard(legacy.id);
  const after = await timedRestore(snapshots, bounds, saved.id, listed);
  log(`${fmt(ips)} IPs: binary restore ${fmt(after.ms / 1000, 1)} s (CPU ${fmt(after.cpu / 1000, 1)} s)`);
  const restored = after;
  // The tail: 10 minutes of new signals on the restored engine (new IPs, reported by the same reporters).
  const tailIps = Math.max(20_000, Math.round(ips / 100));
  const tail = signalsOf(ips, ips + tailIps, ips, end - WINDOW_MS, { next: built.signals + 1 }).map((s, k) => {
    const at = new Date(end + Math.floor((k / tailIps) * TAIL_MS));
    return { ...s, receivedAt: at, at };
  });
  const t1 = performance.now();
  const c1 = cpuMs();
  restored.runtime.replay(tail, end, end + TAIL_MS, TICK_MS);
  const tailRate = tail.length / ((performance.now() - t1) / 1000);
  const tailCpu = cpuMs() - c1;
  return {
    ips,
    tracked,
    signals: built.signals,
    bytesPerIp: used / tracked,
    replayRate: built.signals / (built.ms / 1000),
    cpu: { replay: (built.cpu * 1000) / built.signals, tail: (tailCpu * 1000) / tail.length },
    binary: { captureMs: saved.captureMs, saveMs: saved.totalMs, snapshotBytes: saved.bytes, rawBytes: saved.rawBytes, restoreMs: after.ms, restoreCpu: (after.cpu * 1000) / tracked },
    jsonLines: { captureMs: legacy.captureMs, saveMs: legacy.saveMs, snapshotBytes: legacy.bytes, rawBytes: legacy.rawBytes, restoreMs: before.ms, restoreCpu: (before.cpu * 1000) / tracked },
    tailRate,
    listed,
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  log(`sizes ${sizes.join(', ')} IPs, ${reporterCount} reporters, database ${databaseUrl}`);
  await recreate(databaseUrl);
  await applyMigrations(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    const repository = new ConsensusSnapshotRepository(prismaOf(pool));
    const snapshots = new ConsensusSnapshots(repository, config());

    // Baseline: an empty runtime, then the cost of the reporters alone.
    const empty = memory();
    const reporterRuntime = new ConsensusRuntime(options());
    const perReporterCount = 100_000;
    registerReporters(reporterRuntime, perReporterCount, Date.now());
    const bytesPerReporter = (memory() - empty) / perReporterCount;
    log(`${fmt(perReporterCount)} reporters registered: ${fmt(bytesPerReporter)} B per reporter`);

    const readRate = await dbReadRate(pool, dbRows);
    const figures: SizeFigures[] = [];
    for (const ips of sizes) figures.push(await measureSize(ips, snapshots, repository));

    const formats = [
      ['binary (format 2, written now)', (f: SizeFigures) => f.binary],
      ['JSON lines (format 1, before)', (f: SizeFigures) => f.jsonLines],
    ] as const;
    process.stdout.write('\n## bench:scale — one consensus worker\n\n');
    process.stdout.write(`Reporters: ${fmt(bytesPerReporter)} B each (${fmt(perReporterCount)} registered). PostgreSQL scoring read: ${fmt(readRate)} signals/s (${fmt(dbRows)} rows).\n\n`);
    process.stdout.write('| IPs in history | tracked | signals | B per tracked IP | replay signals/s | tail signals/s | listed |\n|---|---|---|---|---|---|---|\n');
    for (const f of figures) {
      process.stdout.write(`| ${fmt(f.ips)} | ${fmt(f.tracked)} | ${fmt(f.signals)} | ${fmt(f.bytesPerIp)} | ${fmt(f.replayRate)} | ${fmt(f.tailRate)} | ${fmt(f.listed)} |\n`);
    }
    process.stdout.write('\n| IPs in history | snapshot format | capture (scoring lock) ms | snapshot MB (raw MB) | save s | restore s | restore CPU µs per IP |\n|---|---|---|---|---|---|---|\n');
    for (const f of figures) {
      for (const [name, of] of formats) {
        const x = of(f);
        process.stdout.write(
          `| ${fmt(f.ips)} | ${name} | ${fmt(x.captureMs)} | ${fmt(x.snapshotBytes / 1048576, 1)} (${fmt(x.rawBytes / 1048576, 1)}) | ${fmt(x.saveMs / 1000, 1)} | ${fmt(x.restoreMs / 1000, 1)} | ${fmt(x.restoreCpu, 1)} |\n`,
        );
      }
    }
    // Per tracked IP, from the largest measured size (linear beyond it: extrapolated, not measured).
    const big = figures[figures.length - 1];
    const engineRate = big.replayRate;
    const perSignal = 1 / readRate + 1 / engineRate;
    // The same comparison on the measured history itself (no extrapolation).
    const measuredFull = big.signals / readRate + big.signals / big.replayRate;
    const measuredTail = big.signals * (TAIL_MS / WINDOW_MS);
    for (const [name, of] of formats) {
      const x = of(big);
      const perIp = { mem: big.bytesPerIp, snap: x.snapshotBytes / big.tracked, save: x.saveMs / big.tracked, restore: x.restoreMs / big.tracked };
      process.stdout.write(`\n### Snapshot ${name}\n\nExtrapolated linearly from the ${fmt(big.ips)}-IP measurement:\n\n`);
      process.stdout.write('| tracked IPs | engine memory | snapshot | save | restore |\n|---|---|---|---|---|\n');
      for (const n of [1_000_000, 10_000_000]) {
        const measured = figures.find((f) => f.ips === n);
        const tag = measured ? 'measured' : 'extrapolated';
        const m = measured ? { mem: measured.bytesPerIp * measured.tracked, snap: of(measured).snapshotBytes, save: of(measured).saveMs, restore: of(measured).restoreMs } : { mem: perIp.mem * n, snap: perIp.snap * n, save: perIp.save * n, restore: perIp.restore * n };
        process.stdout.write(`| ${fmt(n)} (${tag}) | ${mb(m.mem)} | ${mb(m.snap)} | ${fmt(m.save / 1000, 1)} s | ${fmt(m.restore / 1000, 1)} s |\n`);
      }
      // Full replay of 7 days (read every signal from PostgreSQL + replay it) vs restore + 10 minutes of tail.
      process.stdout.write('\n| signals/day | 7-day history | full replay (read + engine) | restore + 10 min tail | ratio | target >= 20x |\n|---|---|---|---|---|---|\n');
      for (const perDay of [5_000_000, 20_000_000]) {
        const history = perDay * 7;
        const full = history / readRate + history / engineRate;
        // Tracked IPs of such a history, at the measured signals per tracked IP (synthetic mix).
        const tracked = history / (big.signals / big.tracked);
        const tail = (perDay * TAIL_MS) / DAY;
        const restore = (perIp.restore * tracked) / 1000 + tail / readRate + tail / big.tailRate;
        const ratio = full / restore;
        process.stdout.write(
          `| ${fmt(perDay)} | ${fmt(history)} signals, ~${fmt(tracked / 1e6, 1)}M IPs | ${fmt(full / 60, 1)} min | ${fmt(restore, 1)} s | ${fmt(ratio, 1)}x | ${ratio >= 20 ? 'PASS' : 'MISS'} |\n`,
        );
      }
      // What the ratio rests on: signals per tracked IP (restore costs per IP, a full replay per signal).
      const breakEven = (20 * perIp.restore) / 1000 / perSignal;
      process.stdout.write(
        `\nA full replay costs ${fmt(perSignal * 1e6, 1)} µs per signal (read ${fmt(1e6 / readRate, 1)} + engine ${fmt(1e6 / engineRate, 1)}), a restore ${fmt(perIp.restore * 1000, 1)} µs per tracked IP: ` +
          `restore is 20x faster once the history holds ${fmt(breakEven, 1)} signals per tracked IP (this synthetic mix: ${fmt(big.signals / big.tracked, 1)}).\n`,
      );
      const measuredRestore = x.restoreMs / 1000 + measuredTail / readRate + measuredTail / big.tailRate;
      process.stdout.write(
        `\nMeasured history (${fmt(big.signals)} signals over 7 days, ${fmt(big.tracked)} IPs): full replay ${fmt(measuredFull, 1)} s vs restore + 10 min tail ${fmt(measuredRestore, 1)} s: ${fmt(measuredFull / measuredRestore, 1)}x.\n`,
      );
    }
    // Wall times above include waiting for a busy machine's cores; this process's own CPU time does not.
    process.stdout.write(
      `\nCPU time of this process (load average ${fmt(loadAtStart, 1)} at the start, ${fmt(loadavg()[0], 1)} at the end): replay ${fmt(big.cpu.replay, 1)} µs per signal, ` +
        `restore ${fmt(big.binary.restoreCpu, 1)} µs per tracked IP from the binary format, ${fmt(big.jsonLines.restoreCpu, 1)} from JSON lines ` +
        `(as much as replaying ${fmt(big.binary.restoreCpu / big.cpu.replay, 2)} and ${fmt(big.jsonLines.restoreCpu / big.cpu.replay, 1)} signals), tail ${fmt(big.cpu.tail, 1)} µs per signal.\n`,
    );
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:scale failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
