// npm run bench:http — GET /healthz through Quorum (`quorum api`) against a bare Fastify route that
// answers the very same status, content type and body bytes: the ceiling for every API benchmark.
// Settings: BENCH_DURATION, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_START_TIMEOUT,
// BENCH_VERBOSE=1 (echo the servers' output).
import { join } from 'node:path';
import { freePort } from './lib/child-server.js';
import { probe, type RequestSpec } from './lib/measure.js';
import { timeBudgetSec } from './lib/options.js';
import { rawFastifyChild } from './lib/raw-fastify.js';
import { compareServers, printReport } from './lib/runner.js';
import { benchOptionsOrExit, runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';

const request: RequestSpec = { method: 'GET', path: '/healthz' };
const options = benchOptionsOrExit({ connections: 50, durationSec: 10 });
const root = projectRoot();
const echoOutput = process.env.BENCH_VERBOSE === '1';

await runBenchMain(timeBudgetSec(options, 2), async (session) => {
  const quorumPort = await freePort();
  const quorum = await session.startChild({
    name: 'quorum',
    command: process.execPath,
    args: [join(root, 'bin', 'quorum.js'), 'api'],
    cwd: root,
    env: { PORT: String(quorumPort), QUORUM_LOG_LEVEL: 'warn' },
    port: quorumPort,
    readyPath: request.path,
    timeoutMs: options.startTimeoutSec * 1000,
    echoOutput,
  });

  const expected = await probe(quorum.baseUrl, request);
  if (expected.status < 200 || expected.status >= 300) {
    throw new Error(`quorum answered ${request.path} with HTTP ${expected.status}`);
  }
  process.stderr.write(`bench:http: quorum answers ${expected.status} ${expected.contentType} ${expected.body.toString('utf8')}\n`);

  const rawPort = await freePort();
  const route = { method: 'GET' as const, path: request.path, ...expected };
  const raw = await session.startChild({
    ...rawFastifyChild(route, rawPort, options.startTimeoutSec * 1000),
    echoOutput,
  });
  const mirrored = await probe(raw.baseUrl, request);
  if (mirrored.status !== expected.status || mirrored.contentType !== expected.contentType || !mirrored.body.equals(expected.body)) {
    throw new Error('the raw Fastify baseline does not answer the same bytes as quorum');
  }

  const report = await compareServers('bench:http', [raw, quorum], request, options);
  printReport(report);
  return report.ok;
});
