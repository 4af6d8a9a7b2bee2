import type { BenchOptions } from '../lib/options.js';
import { formatTable, type ComparedServer } from '../lib/report.js';
import type { InProcessFigures } from './in-process.js';
import type { MixCounts } from './ip-mix.js';

/** Issue #20's targets: 0.8x raw Fastify and p99 <= 5 ms on a quiet machine (docs/lookup.md "Hot path"). */
export const TARGETS = { ratio: 0.8, p99Ms: 5, findsPerSec: 2_000_000, bytesPerIpv4: 100, propagationMs: 1_000 } as const;

export interface Propagation {
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
  processes: number;
  /** 2xx answers received while polling (metered too) */
  answered: number;
}

export interface ServerIndex {
  ipv4Keys: number;
  ipv6Keys: number;
  arrayBytes: number;
  rssBytes: number;
}

/** The API process's own view of its index, from /metrics. */
export async function serverIndexFigures(baseUrl: string): Promise<ServerIndex> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const read = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return {
    ipv4Keys: read(/^quorum_lookup_index_keys\{family="ipv4"\} (\S+)$/m),
    ipv6Keys: read(/^quorum_lookup_index_keys\{family="ipv6"\} (\S+)$/m),
    arrayBytes: read(/^quorum_lookup_index_bytes (\S+)$/m),
    rssBytes: read(/^quorum_process_resident_memory_bytes (\S+)$/m),
  };
}

export interface LookupReport {
  options: BenchOptions;
  v4Count: number;
  v6Count: number;
  mix: MixCounts;
  bodyBytes: number;
  servers: ComparedServer[];
  inProcess: InProcessFigures;
  serverIndex: ServerIndex;
  propagation: Propagation;
  usage: { counted: number; answered: number };
  /** Server CPU time (user + system, whole process tree) per answer during the measured segments, in µs. */
  cpuPerAnswerUs: { raw: number; quorum: number; floor: number };
  cpus: number;
  load1m: number;
  broken: boolean;
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/** Human report on stdout, then one JSON line; returns whether the run is meaningful. */
export function printLookupReport(r: LookupReport): boolean {
  const quorum = r.servers[1];
  const checks = [
    { name: `req/s ratio to raw Fastify >= ${TARGETS.ratio}`, value: fmt(quorum.reqPerSecRatio, 2), ok: quorum.reqPerSecRatio >= TARGETS.ratio },
    { name: `quorum p99 <= ${TARGETS.p99Ms} ms`, value: `${fmt(quorum.p99Ms, 2)} ms`, ok: quorum.p99Ms <= TARGETS.p99Ms },
    { name: `index finds/s >= ${fmt(TARGETS.findsPerSec)}`, value: fmt(r.inProcess.findsPerSec), ok: r.inProcess.findsPerSec >= TARGETS.findsPerSec },
    { name: `bytes per scored IPv4 <= ${TARGETS.bytesPerIpv4}`, value: fmt(r.inProcess.retainedBytesPerIpv4, 1), ok: r.inProcess.retainedBytesPerIpv4 <= TARGETS.bytesPerIpv4 },
    { name: `publish -> all ${r.propagation.processes} APIs answer <= ${TARGETS.propagationMs} ms`, value: `${fmt(r.propagation.maxMs, 1)} ms`, ok: r.propagation.maxMs <= TARGETS.propagationMs },
  ];
  const total = r.mix.listed + r.mix.scoredUnlisted + r.mix.unscored + r.mix.ipv6;
  const pct = (n: number) => `${Math.round((100 * n) / total)}%`;
  const lines = [
    '',
    `bench:lookup: GET /v1/ip/{ip} (x-api-key, metered) over ${total} distinct targets: ${pct(r.mix.listed)} listed, ${pct(r.mix.scoredUnlisted)} scored unlisted, ` +
      `${pct(r.mix.unscored)} unknown IPv4, ${pct(r.mix.ipv6)} IPv6 in scored /64s`,
    `index: ${fmt(r.v4Count)} scored IPv4 + ${fmt(r.v6Count)} IPv6 /64s; baseline: bare Fastify answering a constant ${r.bodyBytes}-byte JSON body for /v1/ip/:ip`,
    `${r.options.connections} connections, ${r.options.durationSec}s measured per server in ${r.options.rounds} alternating rounds, ${r.options.warmupSec}s warm-up; ` +
      `load generator, servers, PostgreSQL and Redis share ${r.cpus} CPUs (1 min load average ${r.load1m.toFixed(2)} at start)`,
    '',
    formatTable(r.servers),
    `lookup route / healthz floor of the same process: ${fmt(quorum.reqPerSec / r.servers[2].reqPerSec, 2)}`,
    `server CPU per answer (user + system, from /proc; independent of the CPU a busy machine leaves the server): raw Fastify ` +
      `${fmt(r.cpuPerAnswerUs.raw, 1)} µs, quorum lookup ${fmt(r.cpuPerAnswerUs.quorum, 1)} µs, quorum /healthz ${fmt(r.cpuPerAnswerUs.floor, 1)} µs; ` +
      `raw / quorum lookup ${fmt(r.cpuPerAnswerUs.raw / r.cpuPerAnswerUs.quorum, 2)}`,
    '',
    `index alone (this process): ${fmt(r.inProcess.findsPerSec)} finds/s (uint32 key -> score), ${fmt(r.inProcess.lookupsPerSec)} full lookups/s (ParsedIp -> all fields); ` +
      `built in ${fmt(r.inProcess.buildMs)} ms`,
    `memory per scored IPv4: ${fmt(r.inProcess.arrayBytesPerIpv4, 1)} B in typed arrays, ${fmt(r.inProcess.retainedBytesPerIpv4, 1)} B retained (heap + array buffers after GC)`,
    `API process: ${fmt(r.serverIndex.ipv4Keys)} IPv4 + ${fmt(r.serverIndex.ipv6Keys)} IPv6 keys, ${fmt(r.serverIndex.arrayBytes / 1e6, 1)} MB of index arrays, RSS ${fmt(r.serverIndex.rssBytes / 1e6)} MB`,
    `publish -> answer on ${r.propagation.processes} API processes (pub/sub only): median ${fmt(r.propagation.medianMs, 1)} ms, max ${fmt(r.propagation.maxMs, 1)} ms ` +
      `(${r.propagation.samplesMs.map((s) => fmt(s, 1)).join(', ')})`,
    `metering: usage_counter holds ${fmt(r.usage.counted)} lookups for ${fmt(r.usage.answered)} 2xx answers received (probe, warm-up, load, propagation polls; answers in flight when a load segment stops are metered but not received)`,
    '',
    'targets:',
    ...checks.map((c) => `  ${c.name.padEnd(52)} ${c.value.padStart(14)}  ${verdict(c.ok)}`),
    '',
  ];
  if (r.broken) lines.push('RUN BROKEN: a server failed too often; figures are not meaningful');
  process.stdout.write(`${lines.join('\n')}\n`);
  const summary = {
    bench: 'bench:lookup',
    v4Count: r.v4Count,
    v6Count: r.v6Count,
    connections: r.options.connections,
    durationSec: r.options.durationSec,
    rounds: r.options.rounds,
    cpus: r.cpus,
    loadAverage1m: Math.round(r.load1m * 100) / 100,
    node: process.version,
    servers: r.servers.map((s) => ({ name: s.name, reqPerSec: Math.round(s.reqPerSec), p50Ms: s.p50Ms, p99Ms: s.p99Ms, ratio: s.reqPerSecRatio, non2xx: s.non2xx, errors: s.errors })),
    inProcess: r.inProcess,
    serverIndex: r.serverIndex,
    propagation: r.propagation,
    usage: r.usage,
    cpuPerAnswerUs: r.cpuPerAnswerUs,
    targets: Object.fromEntries(checks.map((c) => [c.name, c.ok])),
    ok: !r.broken,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return !r.broken;
}
