// npm run bench:mirror — the local mirror of the lookup index (docs/lookup.md "Local mirror"):
// - in-process lookups/s of the agent's MirrorTable (text address → verdict, and uint32 → verdict)
//   against the service's own in-process index (parseIp + IpScoreIndex.lookup; v4 find) in this run;
// - /check over loopback TCP and a Unix socket (MirrorHttpServer, child process) against a bare
//   node:http server answering the same status and headers (child process), interleaved rounds;
// - bytes of the delta feed per 1,000 changed keys, against the same changes as gzipped NDJSON rows;
// - staleness: from the index moving to a generation to the agent's mirror (MirrorClient, long poll
//   over loopback HTTP) answering with it, with the service's default publish check (500 ms).
// Settings: BENCH_MIRROR_IPS (scored IPv4, default 1000000), BENCH_DURATION (s per loopback server,
// default 10), BENCH_ROUNDS (2), BENCH_WARMUP (2), BENCH_CONNECTIONS (50), BENCH_MIRROR_STALENESS_SAMPLES (20).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { MirrorClient } from '../agent-client/src/mirror/mirror-client.js';
import { MirrorTable } from '../agent-client/src/mirror/mirror-table.js';
import { decodeFrame, mirrorPublicKey } from '../agent-client/src/mirror/mirror-wire.js';
import { parseIp } from '../src/common/ip/ip-address.js';
import type { IpScoreIndex } from '../src/lookup/index/ip-score-index.js';
import { MirrorFeed } from '../src/lookup/mirror/mirror-feed.js';
import { MirrorSigner } from '../src/lookup/mirror/mirror-signer.js';
import { freePort } from './lib/child-server.js';
import { benchOptionsOrExit, runBenchMain } from './lib/session.js';
import { LatencySamples, ratio } from './lib/stats.js';
import { lookupMix, scoredIpv4 } from './lookup/ip-mix.js';
import { buildIndex, changes, ipv4Key, rowOf } from './mirror/data.js';
import { startFeedServer } from './mirror/feed-server.js';

const options = benchOptionsOrExit({ connections: 50, durationSec: 10, warmupSec: 2, rounds: 2, startTimeoutSec: 120 });
const v4Count = Number(process.env.BENCH_MIRROR_IPS ?? 1_000_000);
const v6Count = 50_000;
const stalenessSamples = Number(process.env.BENCH_MIRROR_STALENESS_SAMPLES ?? 20);
const PUBLISH_MS = 500;
const log = (message: string) => process.stderr.write(`bench:mirror: ${message}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Operations per second of `batch(n)` over about `seconds`. */
function rate(seconds: number, batch: (n: number) => void): number {
  batch(200_000);
  let ops = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    batch(100_000);
    ops += 100_000;
  }
  return ops / ((performance.now() - started) / 1000);
}

interface LoadResult {
  answers: number;
  other: number;
  errors: number;
  seconds: number;
  latencies: LatencySamples;
}

/** autocannon over `paths` (each connection cycles through them); 200 and 403 are answers. */
async function load(target: { url: string; socketPath?: string }, paths: readonly string[], durationSec: number): Promise<LoadResult> {
  const latencies = new LatencySamples();
  let answers = 0;
  let other = 0;
  const instance = autocannon({
    url: target.url,
    socketPath: target.socketPath,
    connections: options.connections,
    duration: durationSec,
    pipelining: 1,
    timeout: 10,
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
  } as autocannon.Options);
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200 || status === 403) {
      answers++;
      latencies.push(ms);
    } else other++;
  });
  const result = await instance;
  return { answers, other, errors: result.errors + result.timeouts, seconds: result.duration, latencies };
}

await runBenchMain(Math.ceil(2 * options.startTimeoutSec + 600 + 3 * options.rounds * (options.durationSec + options.warmupSec)), async (session) => {
  const load1m = loadavg()[0];
  const nowSec = Math.floor(Date.now() / 1000);
  log(`building an index of ${fmt(v4Count)} IPv4 addresses and ${fmt(v6Count)} IPv6 /64s`);
  const index: IpScoreIndex = buildIndex(v4Count, v6Count, nowSec);
  const signer = MirrorSigner.generate();
  const key = mirrorPublicKey(signer.publicKey);
  const feed = new MirrorFeed({ sign: signer.sign, keepDeltas: 2_000, keepBytes: 256 << 20, nowMs: Date.now });

  // ---- the feed: first publication, snapshot, load in the agent ----
  let t = performance.now();
  feed.publish(index);
  const firstPublishMs = performance.now() - t;
  t = performance.now();
  const snapshot = await feed.snapshotFrame();
  const snapshotMs = performance.now() - t;
  t = performance.now();
  const table = new MirrorTable();
  table.apply(decodeFrame(snapshot, key));
  const loadMs = performance.now() - t;
  if (table.size !== index.size) throw new Error(`the mirror holds ${table.size} keys, the index ${index.size}`);

  // ---- in-process lookups ----
  log('in-process lookups');
  const { ips } = lookupMix(1 << 16, v4Count, v6Count, 11);
  const values = Uint32Array.from(ips.map((ip) => parseIp(ip)).map((ip) => (ip?.version === 4 ? ip.value : 0)));
  for (const ip of ips) {
    const parsed = parseIp(ip);
    const service = parsed ? index.lookup(parsed, nowSec) : null;
    const mirror = table.check(ip, nowSec);
    // Every row of the data set has trusted reporters, so both show the stored score (0 when absent).
    if ((service?.score ?? 0) !== mirror?.score) throw new Error(`mirror and index disagree on ${ip}`);
  }
  let sink = 0;
  const mask = ips.length - 1;
  const serviceText = rate(3, (n) => {
    for (let k = 0; k < n; k++) {
      const ip = parseIp(ips[k & mask]);
      if (ip) sink += index.lookup(ip, nowSec)?.score ?? 0;
    }
  });
  const mirrorText = rate(3, (n) => {
    for (let k = 0; k < n; k++) sink += table.check(ips[k & mask], nowSec)?.score ?? 0;
  });
  const serviceFind = rate(3, (n) => {
    for (let k = 0; k < n; k++) {
      const h = index.v4.find(values[k & mask]);
      if (h !== -1) sink += index.v4.score(h);
    }
  });
  const mirrorFind = rate(3, (n) => {
    for (let k = 0; k < n; k++) sink += table.checkV4(values[k & mask], nowSec).score;
  });

  // ---- delta bytes per 1,000 changes ----
  log('delta feed size');
  const deltaRounds = 20;
  let deltaBytes = 0;
  let ndjsonGzBytes = 0;
  let rawBytes = 0;
  let changed = 0;
  const publishMs: number[] = [];
  for (let r = 0; r < deltaRounds; r++) {
    const rows = changes(1_000, v4Count, nowSec + 60 * (r + 1), index.version + 1, 100 + r);
    index.apply(rows);
    index.version++;
    t = performance.now();
    const delta = feed.publish(index);
    publishMs.push(performance.now() - t);
    if (!delta) throw new Error('no delta');
    changed += delta.changes;
    deltaBytes += delta.frame.length;
    rawBytes += delta.frame.readUInt32BE(34);
    ndjsonGzBytes += gzipSync(rows.map((row) => JSON.stringify(row)).join('\n')).length;
    table.apply(decodeFrame(delta.frame, key));
  }
  index.compactIfNeeded();
  const perThousand = (bytes: number) => (bytes / changed) * 1000;

  // ---- staleness over loopback HTTP ----
  log(`staleness: ${stalenessSamples} generations through a loopback feed and MirrorClient (publish check every ${PUBLISH_MS} ms)`);
  const server = await startFeedServer(feed, () => index, PUBLISH_MS);
  const client = new MirrorClient({ server: server.url, apiKey: 'bench', publicKey: signer.publicKey, waitSeconds: 25, backoffMs: { min: 50, max: 1000 } });
  await client.start();
  await client.whenLoaded();
  const lags: number[] = [];
  try {
    for (let s = 0; s < stalenessSamples; s++) {
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 900)));
      const i = 3 * (s + 1);
      const row = { ...rowOf(ipv4Key(scoredIpv4(i)), i, nowSec, index.version + 1), score: 0.5 + (s % 7), listed: false, listedUntil: 0 };
      const expected = Math.round(100 * (1 - Math.exp(-row.score / 3)));
      const text = ipv4Key(scoredIpv4(i));
      index.apply([row]);
      index.version++;
      const moved = performance.now();
      while (client.table.check(text)?.score !== expected) {
        if (performance.now() - moved > 30_000) throw new Error(`the mirror did not see generation ${index.version} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      lags.push(performance.now() - moved);
    }
  } finally {
    await client.stop();
    await server.stop();
  }
  const sortedLags = [...lags].sort((a, b) => a - b);
  const pct = (p: number) => sortedLags[Math.min(sortedLags.length - 1, Math.ceil((p / 100) * sortedLags.length) - 1)];

  // ---- loopback /check: mirror (TCP, Unix socket) against a bare node:http server ----
  log('loopback /check load (child processes)');
  const dir = await mkdtemp(join(tmpdir(), 'quorum-bench-mirror-'));
  const snapshotPath = join(dir, 'snapshot.qmr');
  await writeFile(snapshotPath, await feed.snapshotFrame());
  const socketPath = join(dir, 'mirror.sock');
  const entry = fileURLToPath(new URL('./mirror/local-server-main.js', import.meta.url));
  const start = async (name: string, mode: string) => {
    const port = await freePort();
    return session.startChild({
      name,
      command: process.execPath,
      args: [entry],
      env: { PORT: String(port), BENCH_MIRROR_MODE: mode, BENCH_MIRROR_SNAPSHOT: snapshotPath, BENCH_MIRROR_PUBLIC_KEY: signer.publicKey, BENCH_MIRROR_SOCKET: mode === 'mirror' ? socketPath : undefined },
      port,
      readyPath: '/healthz',
      timeoutMs: options.startTimeoutSec * 1000,
    });
  };
  const baseline = await start('node:http', 'baseline');
  const mirrorServer = await start('mirror', 'mirror');
  const paths = ips.slice(0, 4096).map((ip) => `/check?ip=${encodeURIComponent(ip)}`);
  const targets = [
    { name: 'node:http baseline (TCP)', url: baseline.baseUrl },
    { name: 'mirror /check (TCP)', url: mirrorServer.baseUrl },
    { name: 'mirror /check (Unix socket)', url: mirrorServer.baseUrl, socketPath },
  ];
  const totals = targets.map(() => ({ answers: 0, other: 0, errors: 0, seconds: 0, latencies: new LatencySamples() }));
  if (options.warmupSec > 0) for (const target of targets) await load(target, paths, options.warmupSec);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
    for (const k of order) {
      const r = await load(targets[k], paths, options.durationSec / options.rounds);
      totals[k].answers += r.answers;
      totals[k].other += r.other;
      totals[k].errors += r.errors;
      totals[k].seconds += r.seconds;
      totals[k].latencies.pushAll(r.latencies);
    }
  }
  await rm(dir, { recursive: true, force: true });

  // ---- report ----
  const perSec = (k: number) => totals[k].answers / totals[k].seconds;
  const out: string[] = [];
  out.push(`bench:mirror — ${fmt(v4Count)} IPv4 + ${fmt(v6Count)} IPv6 /64 scored; load average at start ${load1m.toFixed(1)}; ${options.connections} connections`);
  out.push('');
  out.push(`feed: first publish (diff of the whole index) ${fmt(firstPublishMs)} ms; snapshot ${fmt(snapshot.length / 1e6, 1)} MB (${fmt(snapshot.length / table.size, 2)} B per key) sealed in ${fmt(snapshotMs)} ms; verified and loaded by the agent in ${fmt(loadMs)} ms`);
  out.push('');
  out.push('| in-process lookups (one thread) | lookups/s | baseline | ratio |');
  out.push('| --- | --- | --- | --- |');
  out.push(`| text address → verdict: mirror check() vs service parseIp + index.lookup | ${fmt(mirrorText)} | ${fmt(serviceText)} | ${ratio(mirrorText, serviceText).toFixed(2)}× |`);
  out.push(`| uint32 → verdict: mirror checkV4() vs service index.v4.find + score | ${fmt(mirrorFind)} | ${fmt(serviceFind)} | ${ratio(mirrorFind, serviceFind).toFixed(2)}× |`);
  out.push('');
  out.push('| loopback GET /check | answers/s | p50 ms | p99 ms | ratio to baseline | non-answers/errors |');
  out.push('| --- | --- | --- | --- | --- | --- |');
  targets.forEach((target, k) => {
    out.push(`| ${target.name} | ${fmt(perSec(k))} | ${totals[k].latencies.percentile(50).toFixed(2)} | ${totals[k].latencies.percentile(99).toFixed(2)} | ${ratio(perSec(k), perSec(0)).toFixed(2)}× | ${totals[k].other}/${totals[k].errors} |`);
  });
  out.push('');
  out.push(`delta feed over ${deltaRounds} publications of 1,000 changed rows (${fmt(changed)} key changes): ${fmt(perThousand(deltaBytes))} B per 1,000 changes signed and compressed (${fmt(perThousand(rawBytes))} B before brotli); the same rows as gzipped NDJSON ${fmt(perThousand(ndjsonGzBytes))} B: ratio ${ratio(deltaBytes, ndjsonGzBytes).toFixed(2)}×; publish (diff of the whole index) median ${fmt(publishMs.sort((a, b) => a - b)[publishMs.length >> 1])} ms`);
  out.push(`staleness (index at a new generation → mirror answering it, publish check every ${PUBLISH_MS} ms, long poll): p50 ${fmt(pct(50))} ms, p95 ${fmt(pct(95))} ms, max ${fmt(sortedLags[sortedLags.length - 1])} ms over ${lags.length} generations (target ≤ 10,000 ms); publish median ${fmt(server.publishMs.sort((a, b) => a - b)[server.publishMs.length >> 1] ?? 0)} ms`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (sink === -1) process.stderr.write('');
  return mirrorText >= 1_000_000 && sortedLags[sortedLags.length - 1] <= 10_000 && totals.every((tot) => tot.errors === 0 && tot.other === 0);
});
