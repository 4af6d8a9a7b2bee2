// npm run bench:dnsbl — DNSBL queries/s of Quorum's zone (`quorum api` with QUORUM_DNSBL_PORT, answering
// A queries `<reversed address>.<API key>.<zone>` from the lookup index, metered per query) against a
// baseline UDP responder (bench/dnsbl/udp-responder-main.ts) sending the same bytes, in the same run,
// over the mix of listed, unlisted, unknown and IPv6 targets of bench:lookup. Target: ≥ 0.5× the baseline.
// Settings: BENCH_DURATION (s per server, default 20), BENCH_ROUNDS (2), BENCH_WARMUP (3), BENCH_CONNECTIONS
// (queries kept in flight, default 64), BENCH_START_TIMEOUT (s, 120), BENCH_DNSBL_IPS (scored IPv4,
// default 200000), BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/quorum_dnsbl_bench),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379/11, flushed), BENCH_VERBOSE=1.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as dns from 'dns-packet';
import pg from 'pg';
import { freePort, type RunningServer } from './lib/child-server.js';
import { interleavedSchedule } from './lib/schedule.js';
import { benchOptionsOrExit, type BenchSession, runBenchMain } from './lib/session.js';
import { projectRoot } from '../src/common/util/project-root.js';
import { LatencySamples } from './lib/stats.js';
import { runUdpLoad, type UdpSegment } from './dnsbl/udp-load.js';
import { createBenchKey, flushRedisDb, migrate, seedScores } from './lookup/bench-db.js';
import { lookupMix, scoredIpv4 } from './lookup/ip-mix.js';
import { formatIpv4 } from '../src/common/ip/ip-address.js';
import { queryNameOf } from '../src/dnsbl/query-name.js';

const TARGET_RATIO = 0.5;
const ZONE = 'dnsbl.bench.test';
const options = benchOptionsOrExit({ connections: 64, durationSec: 20, warmupSec: 3, rounds: 2, startTimeoutSec: 120 });
const v4Count = Number(process.env.BENCH_DNSBL_IPS ?? 200_000);
const v6Count = 10_000;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_dnsbl_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
const root = projectRoot();
const log = (message: string) => process.stderr.write(`bench:dnsbl: ${message}\n`);
const budgetSec = Math.ceil(2 * options.startTimeoutSec + 300 + 2 * options.warmupSec + 2 * (options.durationSec + options.rounds * 2));

interface UdpServer {
  server: RunningServer;
  udpPort: number;
}

await runBenchMain(budgetSec, async (session) => {
  const load1m = loadavg()[0];
  log(`migrating and seeding ${new URL(databaseUrl).pathname.slice(1)} (${v4Count.toLocaleString('en-US')} IPv4 + ${v6Count} IPv6 /64s), flushing ${redisUrl}`);
  await migrate(root, databaseUrl, 120_000);
  await flushRedisDb(redisUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    await seedScores(pool, v4Count, v6Count);
    const { key } = await createBenchKey(pool);
    const suffix = `${key}.${ZONE}`;
    const quorum = await startQuorum(session);

    const listed = encodeQuery(queryNameOf(formatIpv4(scoredIpv4(3)), suffix));
    const expected = await ask(quorum.udpPort, listed);
    if ((expected[3] & 0xf) !== 0 || dns.decode(expected).answers?.length !== 1) throw new Error('quorum did not answer the listed probe with one A record');
    log(`quorum answers the listed probe with ${expected.length} bytes`);
    const baseline = await startBaseline(session, expected);

    const { ips, counts } = lookupMix(4096, v4Count, v6Count);
    const queries = ips.map((ip) => encodeQuery(queryNameOf(ip, suffix)));
    const segments: Record<'baseline' | 'quorum', UdpSegment[]> = { baseline: [], quorum: [] };
    const servers = { baseline, quorum };
    for (const name of ['baseline', 'quorum'] as const) {
      log(`warming up ${name} for ${options.warmupSec}s`);
      await runUdpLoad(servers[name].udpPort, queries, options.connections, options.warmupSec);
    }
    for (const run of interleavedSchedule(['baseline', 'quorum'], options.rounds)) {
      const name = run.server as 'baseline' | 'quorum';
      const segment = await runUdpLoad(servers[name].udpPort, queries, options.connections, options.durationSec / options.rounds);
      segments[name].push(segment);
      log(`round ${run.round + 1}/${options.rounds} ${name}: ${Math.round(segment.responses / segment.durationSec)} queries/s, ${segment.lost} lost`);
    }
    const b = pooled(segments.baseline);
    const q = pooled(segments.quorum);
    const ratio = q.perSec / b.perSec;
    const lossShare = q.lost / Math.max(1, q.responses + q.lost);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const ms = (n: number) => n.toFixed(3);
    process.stdout.write(
      [
        `bench:dnsbl: A queries <reversed address>.<key>.<zone> over UDP, ${options.connections} in flight, ${options.rounds} interleaved rounds of ${options.durationSec / options.rounds} s per server`,
        `machine: ${availableParallelism()} CPUs, load average ${load1m.toFixed(2)} at start (figures are only comparable on a quiet machine)`,
        `targets: ${ips.length} distinct (${counts.listed} listed, ${counts.scoredUnlisted} scored unlisted, ${counts.unscored} unknown, ${counts.ipv6} IPv6); index ${fmt(v4Count)} IPv4 + ${fmt(v6Count)} IPv6 /64s`,
        `baseline (bare node:dgram responder, same ${expected.length}-byte answer): ${fmt(b.perSec)} queries/s, p50 ${ms(b.p50)} ms, p99 ${ms(b.p99)} ms, ${b.lost} lost`,
        `quorum DNSBL (${Object.entries(q.rcodes)
          .map(([rcode, n]) => `${rcode} ${fmt(n)}`)
          .join(', ')}): ${fmt(q.perSec)} queries/s, p50 ${ms(q.p50)} ms, p99 ${ms(q.p99)} ms, ${q.lost} lost, ${q.bytes.toFixed(0)} B per answer`,
        `ratio: ${ratio.toFixed(2)}× the baseline (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
      ].join('\n') + '\n',
    );
    const refused = q.rcodes.REFUSED ?? 0;
    const servfail = q.rcodes.SERVFAIL ?? 0;
    if (refused + servfail > 0) log(`${refused} REFUSED and ${servfail} SERVFAIL answers: the bench key should never be refused`);
    return b.responses > 0 && q.responses > 0 && refused + servfail === 0 && lossShare < 0.01;
  } finally {
    await pool.end().catch(() => undefined);
  }
});

function pooled(segments: readonly UdpSegment[]) {
  const latencies = new LatencySamples();
  let seconds = 0;
  let responses = 0;
  let lost = 0;
  let bytes = 0;
  const rcodes: Record<string, number> = {};
  for (const s of segments) {
    latencies.pushAll(s.latencies);
    seconds += s.durationSec;
    responses += s.responses;
    lost += s.lost;
    bytes += s.bytesPerResponse * s.responses;
    for (const [rcode, n] of Object.entries(s.rcodes)) rcodes[rcode] = (rcodes[rcode] ?? 0) + n;
  }
  return { perSec: seconds > 0 ? responses / seconds : 0, p50: latencies.percentile(50), p99: latencies.percentile(99), responses, lost, rcodes, bytes: responses > 0 ? bytes / responses : 0 };
}

function encodeQuery(name: string): Buffer {
  return dns.encode({ id: 0, type: 'query', flags: dns.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
}

/** One query, its answer (5 s bound). */
async function ask(port: number, query: Buffer): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    socket.send(query, port, '127.0.0.1');
    const timer = setTimeout(() => socket.emit('error', new Error('no DNS answer within 5 s')), 5_000);
    const [answer] = (await once(socket, 'message')) as [Buffer];
    clearTimeout(timer);
    return answer;
  } finally {
    socket.close();
  }
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const port = socket.address().port;
  socket.close();
  return port;
}

async function startQuorum(session: BenchSession): Promise<UdpServer> {
  const port = await freePort();
  const udpPort = await freeUdpPort();
  log('starting quorum api (loads the index before /readyz answers 200)');
  const server = await session.startChild({
    name: 'quorum',
    command: process.execPath,
    // The build this bench was compiled with (dist/src/cli/main.js beside dist/bench/), like bin/quorum.js.
    args: ['--input-type=module', '-e', `const { runCli } = await import(${JSON.stringify(new URL('../src/cli/main.js', import.meta.url).href)}); runCli(['api']);`],
    cwd: root,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: 'quorum-bench-dnsbl',
      QUORUM_LOG_LEVEL: 'warn',
      QUORUM_DNSBL_PORT: String(udpPort),
      QUORUM_DNSBL_ZONE: ZONE,
    },
    port,
    readyPath: '/readyz',
    timeoutMs: options.startTimeoutSec * 1000,
    echoOutput: process.env.BENCH_VERBOSE === '1',
  });
  return { server, udpPort };
}

async function startBaseline(session: BenchSession, response: Buffer): Promise<UdpServer> {
  const port = await freePort();
  const udpPort = await freeUdpPort();
  const server = await session.startChild({
    name: 'udp-baseline',
    command: process.execPath,
    args: [fileURLToPath(new URL('./dnsbl/udp-responder-main.js', import.meta.url))],
    env: { BENCH_UDP_PORT: String(udpPort), BENCH_HTTP_PORT: String(port), BENCH_RESPONSE_HEX: response.toString('hex') },
    port,
    readyPath: '/healthz',
    timeoutMs: options.startTimeoutSec * 1000,
    echoOutput: process.env.BENCH_VERBOSE === '1',
  });
  return { server, udpPort };
}
