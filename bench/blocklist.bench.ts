// npm run bench:blocklist — three measurements of the blocklist domain, each against a baseline or target
// measured in the same run:
//   1. full download of a 100,000-entry view (json, gzip) through `quorum api` (agent JWT, cached
//      pre-compressed body) vs a bare Fastify route serving the very same bytes from memory: ratio >= 0.8;
//   2. `changes?since=` answering 1,000 changes on a 10,000-entry list vs on a 1,000,000-entry list
//      (first, uncached answer per version, full view): ratio large / small <= 1.5;
//   3. publishing one version of 10,000 changes on the 1,000,000-entry list: <= 2 s (and the time until
//      the API process serves it, pub/sub + reload).
// Settings: BENCH_DURATION, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONNECTIONS (download comparison),
// BENCH_START_TIMEOUT, BENCH_DELTA_ROUNDS (default 12), BENCH_VIEW_ENTRIES (100000), BENCH_SMALL_ENTRIES
// (10000), BENCH_LARGE_ENTRIES (1000000), BENCH_PUBLISH_CHANGES (10000), BENCH_PUBLISH_ROUNDS (3),
// BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/quorum_bench_bl; _small / _large
// suffixes for the delta lists), BENCH_REDIS_URL (default redis://127.0.0.1:6379/13, flushed),
// BENCH_VERBOSE=1 (echo the servers' output).
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BlocklistService } from '../src/blocklist/blocklist.service.js';
import { freePort, type RunningServer } from './lib/child-server.js';
import { timeBudgetSec } from './lib/options.js';
import { compareServers, printReport } from './lib/runner.js';
import { benchOptionsOrExit, runBenchMain, type BenchSession } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { prepareDatabase } from './blocklist/database.js';
import { closeHttp, getRaw, waitFor200 } from './blocklist/http.js';
import { rawFileServerChild } from './blocklist/raw-file-server.js';
import { ChangeSource } from './blocklist/keys.js';
import { createPublisher, type Publisher } from './blocklist/publisher.js';
import { median, printTargets, type Target } from './blocklist/figures.js';
import { enrollAgents, flushRedisDb } from './ingest/bench-data.js';
import { KeepAliveClient } from './ingest/http-client.js';

const options = benchOptionsOrExit({ connections: 8, durationSec: 10, rounds: 2, warmupSec: 2 });
const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name]?.trim();
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return value;
};
const deltaRounds = int('BENCH_DELTA_ROUNDS', 12, 1, 15);
const viewEntries = int('BENCH_VIEW_ENTRIES', 100_000, 1, 10_000_000);
const smallEntries = int('BENCH_SMALL_ENTRIES', 10_000, 10_000, 10_000_000);
const largeEntries = int('BENCH_LARGE_ENTRIES', 1_000_000, 10_000, 10_000_000);
const publishChanges = int('BENCH_PUBLISH_CHANGES', 10_000, 1, 1_000_000);
const publishRounds = int('BENCH_PUBLISH_ROUNDS', 3, 1, 10);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_bench_bl';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const root = projectRoot();
const log = (message: string) => process.stderr.write(`bench:blocklist: ${message}\n`);
const withSuffix = (suffix: string) => {
  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname}${suffix}`;
  return url.toString();
};
Logger.overrideLogger(['error']);

interface Api {
  server: RunningServer;
  headers: Record<string, string>;
  publisher: Publisher;
}

async function startApi(session: BenchSession, name: string, url: string, entries: number, enrollKey: string): Promise<Api> {
  const port = await freePort();
  const prefix = `quorum-bench-bl-${name}`;
  const server = await session.startChild({
    name,
    command: process.execPath,
    args: [join(root, 'bin', 'quorum.js'), 'api'],
    cwd: root,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      QUORUM_LOG_LEVEL: 'warn',
      // The agent sees the whole list (the API-key view): what the delta and download figures are about.
      QUORUM_BLOCKLIST_COMMUNITY_SIZE: String(10 * entries + 1_000_000),
      QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '100',
    },
    port,
    readyPath: '/healthz',
    timeoutMs: options.startTimeoutSec * 1000,
    echoOutput: process.env.BENCH_VERBOSE === '1',
  });
  const client = new KeepAliveClient(server.baseUrl, 1);
  try {
    const [agent] = await enrollAgents(client, enrollKey, 1);
    const headers = { authorization: `Bearer ${agent.token}` };
    const loadMs = await waitFor200(server.baseUrl, '/v1/blocklist/changes?since=1&scenarios=bench-probe', headers, 300_000);
    log(`${name}: ${entries.toLocaleString('en-US')} entries loaded (${Math.round(loadMs)} ms after the first request)`);
    return { server, headers, publisher: await createPublisher(url, redisUrl, prefix) };
  } finally {
    client.close();
  }
}

/** Publishes, then waits until the API process serves the new version (without asking it to catch up). */
async function publishAndWait(api: Api, changes: Parameters<BlocklistService['publishChanges']>[0]): Promise<{ version: number; publishMs: number; visibleMs: number }> {
  const started = performance.now();
  const published = await api.publisher.service.publishChanges(changes, new Date());
  const publishMs = performance.now() - started;
  if (!published) throw new Error('nothing was published');
  const probe = `/v1/blocklist/changes?since=${published.version - 1}&scenarios=bench-probe`;
  for (;;) {
    const answer = await getRaw(api.server.baseUrl, probe, api.headers);
    if (answer.status === 200 && (JSON.parse(answer.body.toString('utf8')) as { version: number }).version === published.version) break;
    if (performance.now() - started > 30_000) throw new Error(`version ${published.version} not served within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { version: published.version, publishMs, visibleMs: performance.now() - started };
}

async function downloadPhase(session: BenchSession, enrollKey: string): Promise<Target> {
  const api = await startApi(session, 'view', withSuffix(''), viewEntries, enrollKey);
  const path = '/v1/blocklist?format=json';
  const headers = { ...api.headers, 'accept-encoding': 'gzip' };
  const answer = await getRaw(api.server.baseUrl, path, headers);
  const count = (JSON.parse(gunzipSync(answer.body).toString('utf8')) as { count: number }).count;
  if (answer.status !== 200 || answer.headers['content-encoding'] !== 'gzip' || count !== viewEntries) {
    throw new Error(`the view answered ${answer.status} ${String(answer.headers['content-encoding'])} with ${count} entries`);
  }
  log(`view: ${count.toLocaleString('en-US')} entries, ${(answer.body.length / 1e6).toFixed(2)} MB gzip`);
  const rawPort = await freePort();
  const contentType = String(answer.headers['content-type']);
  const raw = await session.startChild({
    ...rawFileServerChild(path, contentType, answer.body, rawPort, options.startTimeoutSec * 1000),
    echoOutput: process.env.BENCH_VERBOSE === '1',
  });
  const quorum = { ...api.server, name: 'quorum (agent JWT)' };
  const report = await compareServers('bench:blocklist download', [raw, quorum], { method: 'GET', path, headers }, options);
  printReport(report);
  await Promise.all([raw.stop(), api.server.stop(), api.publisher.close()]);
  const ratio = report.servers[1].reqPerSecRatio;
  return { name: `full download ${viewEntries.toLocaleString('en-US')} entries (gzip), quorum / raw Fastify >= 0.8`, value: ratio.toFixed(2), ok: report.ok && ratio >= 0.8 };
}

async function deltaPhase(small: Api, large: Api): Promise<Target> {
  const sides = [
    { name: 'small', api: small, source: new ChangeSource(smallEntries), ms: [] as number[], publishMs: [] as number[] },
    { name: 'large', api: large, source: new ChangeSource(largeEntries), ms: [] as number[], publishMs: [] as number[] },
  ];
  for (let round = 0; round < deltaRounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const { version, publishMs } = await publishAndWait(side.api, side.source.next(1000, Date.now()));
      const answer = await getRaw(side.api.server.baseUrl, `/v1/blocklist/changes?since=${version - 1}`, { ...side.api.headers, 'accept-encoding': 'gzip' });
      const delta = JSON.parse(gunzipSync(answer.body).toString('utf8')) as { added: unknown[]; removed: unknown[] };
      if (answer.status !== 200 || delta.added.length + delta.removed.length !== 1000) {
        throw new Error(`${side.name}: delta answered ${answer.status} with ${delta.added.length} added, ${delta.removed.length} removed`);
      }
      side.ms.push(answer.ms);
      side.publishMs.push(publishMs);
    }
  }
  const [s, l] = sides.map((side) => median(side.ms));
  const lines = [
    '',
    `bench:blocklist delta: GET /v1/blocklist/changes?since=<previous> after 1,000 changes (400 new, 300 removed, 300 updated), ${deltaRounds} rounds, first (uncached) answer, gzip`,
    ...sides.map((side) => `  ${side.name.padEnd(6)} list ${(side === sides[0] ? smallEntries : largeEntries).toLocaleString('en-US').padStart(10)} entries: median ${median(side.ms).toFixed(1)} ms (min ${Math.min(...side.ms).toFixed(1)}, max ${Math.max(...side.ms).toFixed(1)}); publishing 1,000 changes: median ${median(side.publishMs).toFixed(0)} ms`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const ratio = l / s;
  return { name: `delta, 1,000 changes: ${largeEntries.toLocaleString('en-US')} / ${smallEntries.toLocaleString('en-US')} entries <= 1.5`, value: ratio.toFixed(2), ok: ratio <= 1.5 };
}

async function publishPhase(large: Api, source: ChangeSource): Promise<Target> {
  const runs: Array<{ publishMs: number; visibleMs: number }> = [];
  for (let round = 0; round < publishRounds; round++) runs.push(await publishAndWait(large, source.next(publishChanges, Date.now())));
  const publish = median(runs.map((r) => r.publishMs));
  const lines = [
    '',
    `bench:blocklist publish: one version of ${publishChanges.toLocaleString('en-US')} changes on a ${largeEntries.toLocaleString('en-US')}-entry list, ${publishRounds} rounds`,
    ...runs.map((r, i) => `  round ${i + 1}: publishChanges ${r.publishMs.toFixed(0)} ms (transaction, announcement, pruning); served by the API process after ${r.visibleMs.toFixed(0)} ms`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return { name: `publish ${publishChanges.toLocaleString('en-US')} changes on ${largeEntries.toLocaleString('en-US')} entries <= 2000 ms (median)`, value: `${publish.toFixed(0)} ms`, ok: publish <= 2000 };
}

const budget = timeBudgetSec(options, 2) + 3 * options.startTimeoutSec + 1500;
await runBenchMain(budget, async (session) => {
  await flushRedisDb(redisUrl);
  log(`seeding ${withSuffix('')} (${viewEntries}), ${withSuffix('_small')} (${smallEntries}), ${withSuffix('_large')} (${largeEntries})`);
  const [view, small, large] = await Promise.all([
    prepareDatabase(root, withSuffix(''), viewEntries),
    prepareDatabase(root, withSuffix('_small'), smallEntries),
    prepareDatabase(root, withSuffix('_large'), largeEntries),
  ]);
  const targets: Target[] = [await downloadPhase(session, view.enrollKey)];
  const smallApi = await startApi(session, 'small', withSuffix('_small'), smallEntries, small.enrollKey);
  const largeApi = await startApi(session, 'large', withSuffix('_large'), largeEntries, large.enrollKey);
  try {
    targets.push(await deltaPhase(smallApi, largeApi));
    await smallApi.server.stop();
    // Keys the delta phase touched are not reused: the large list's change source starts after them.
    const source = new ChangeSource(largeEntries);
    for (let round = 0; round < deltaRounds; round++) source.next(1000, 0);
    targets.push(await publishPhase(largeApi, source));
  } finally {
    closeHttp();
    await Promise.all([smallApi.publisher.close(), largeApi.publisher.close()]);
  }
  return printTargets(targets);
});
