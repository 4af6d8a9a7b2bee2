import { availableParallelism, loadavg } from 'node:os';
import type { RunningServer } from './child-server.js';
import { runLoad, type RequestSpec, type Segment } from './measure.js';
import type { BenchOptions } from './options.js';
import { compareToBaseline, formatTable, summarise, unhealthy, type ComparedServer } from './report.js';
import { interleavedSchedule } from './schedule.js';

export interface ComparisonReport {
  bench: string;
  request: string;
  connections: number;
  durationSec: number;
  rounds: number;
  warmupSec: number;
  cpus: number;
  loadAverage1m: number;
  node: string;
  /** The first entry is the baseline every ratio is relative to. */
  servers: ComparedServer[];
  ok: boolean;
}

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/**
 * Loads every server with the same request, connections and measured time. The first server is
 * the baseline. Rounds alternate direction so a change in machine load affects all servers alike.
 */
export async function compareServers(
  bench: string,
  servers: readonly RunningServer[],
  request: RequestSpec,
  options: BenchOptions,
): Promise<ComparisonReport> {
  const names = servers.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`server names must differ: ${names.join(', ')}`);
  const byName = new Map(servers.map((s) => [s.name, s]));
  const load1m = loadavg()[0];
  const load = { connections: options.connections, durationSec: options.durationSec / options.rounds };

  if (options.warmupSec > 0) {
    for (const server of servers) {
      log(`${bench}: warming up ${server.name} for ${options.warmupSec}s`);
      const warm = await runLoad(server.baseUrl, request, { ...load, durationSec: options.warmupSec });
      if (warm.ok === 0) throw new Error(`${server.name} gave no 2xx answer during warm-up`);
    }
  }

  const segments = new Map<string, Segment[]>(names.map((n) => [n, []]));
  for (const run of interleavedSchedule(names, options.rounds)) {
    const server = byName.get(run.server) as RunningServer;
    const segment = await runLoad(server.baseUrl, request, load);
    segments.get(run.server)?.push(segment);
    const rps = segment.durationSec > 0 ? Math.round(segment.responses / segment.durationSec) : 0;
    log(`${bench}: round ${run.round + 1}/${options.rounds} ${server.name}: ${rps} req/s`);
  }

  const compared = compareToBaseline(names.map((n) => summarise(n, segments.get(n) ?? [])));
  return {
    bench,
    request: `${request.method} ${request.path}`,
    connections: options.connections,
    durationSec: options.durationSec,
    rounds: options.rounds,
    warmupSec: options.warmupSec,
    cpus: availableParallelism(),
    loadAverage1m: Math.round(load1m * 100) / 100,
    node: process.version,
    servers: compared,
    ok: compared.every((s) => !unhealthy(s)),
  };
}

/** Human table on stdout, then one JSON line (the last line) for scripts. */
export function printReport(report: ComparisonReport): void {
  const perRound = report.rounds > 1 ? ` (${report.rounds} alternating rounds)` : '';
  const lines = [
    '',
    `${report.bench}: ${report.request}, ${report.connections} connections, ${report.durationSec}s measured per server${perRound}, ` +
      `${report.warmupSec}s warm-up`,
    `load generator and servers share ${report.cpus} CPUs (1 min load average ${report.loadAverage1m} at start); compare ratios, not absolute figures`,
    '',
    formatTable(report.servers),
    '',
  ];
  for (const s of report.servers) {
    if (unhealthy(s)) lines.push(`WARNING: ${s.name} failed too often (${s.errors} errors, ${s.non2xx} non-2xx): figures are not meaningful`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(report, jsonNumbers)}\n`);
}

function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
}
