import type { PerfResult } from './perf.js';
import type { RunOutcome } from './run-one.js';
import { denseBotsShare, type TargetRow } from './targets.js';

const f = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Prints the per-variant metrics (mean and worst over seeds) and the target table. */
export function printTables(runs: RunOutcome[], targets: TargetRow[], perf: PerfResult | null, sweepSeconds: number): void {
  const groups = new Map<string, RunOutcome[]>();
  for (const r of runs) {
    const k = `${r.family}:${r.variant}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const rows: string[][] = [];
  for (const [k, rs] of groups) {
    const within = rs.map((r) => r.timeToListFromCampaign.within5min);
    rows.push([
      k,
      String(rs.length),
      `${f(mean(rs.map((r) => r.coverage)))} / ${f(Math.min(...rs.map((r) => r.coverage)))}`,
      f(mean(rs.map((r) => r.naiveCoverage))),
      f(Math.min(...rs.map((r) => r.precision)), 4),
      String(Math.max(...rs.map((r) => r.innocentListed))),
      String(Math.max(...rs.map((r) => r.naiveInnocentListed))),
      rs[0].agedEstablished > 0 ? f(Math.max(...rs.map((r) => r.innocentPerAgedIdentity ?? 0)), 2) : '-',
      rs[0].adversaries > 0 ? `${Math.min(...rs.map((r) => r.quarantined))}/${rs[0].adversaries}` : '-',
      rs[0].quarantined > 0 ? f(Math.max(...rs.map((r) => r.quarantineHours.p50 ?? NaN)), 1) : '-',
      rs[0].timeToListFromCampaign.n > 0 ? f(Math.min(...within)) : '-',
      rs[0].timeToListFromCampaign.n > 0 ? f(Math.min(...rs.map((r) => r.within5minOfFirstContact))) : '-',
      rs[0].timeToListFromCampaign.n > 0 ? `${rs[0].campaignVictimOwners}/${rs[0].campaignVictimAsns}` : '-',
      String(Math.max(...rs.map((r) => r.honestMerged))),
      rs[0].adversaries > 0 ? String(Math.min(...rs.map((r) => r.adversaryMerged))) : '-',
      String(Math.max(...rs.map((r) => r.honestQuarantined))),
      rs[0].timeToListFromCampaign.n > 0 ? `${f(Math.max(...rs.map((r) => r.timeToListFromFirstSignal.p50 ?? Infinity)), 0)}/${f(Math.max(...rs.map((r) => r.timeToListFromFirstSignal.p95 ?? Infinity)), 0)}` : '-',
      rs[0].t8.bots > 0 ? `${f(Math.min(...rs.map((r) => r.t8.bots / r.timeToListFromCampaign.n)), 2)}: ${f(Math.min(...rs.map(denseBotsShare)))}/${f(Math.max(...rs.map((r) => r.t8.fromFirstSignal.p95 ?? Infinity)), 0)}` : '-',
      String(Math.round(mean(rs.map((r) => r.eventsPerSecond)))),
    ]);
  }
  console.log(`\nConsensus sweep: ${runs.length} runs in ${sweepSeconds.toFixed(1)} s (mean / worst over seeds)\n`);
  console.log(
    table(
      ['family:variant', 'seeds', 'coverage mean/min', 'naive', 'precision min', 'innocent max', 'naive innocent', 'innocent/aged id', 'quarantined', 'q p50 h', '<=5 min', '<=5 min own', 'victim own/asn', 'honest merged', 'adv merged', 'honest q', 'ttl 1st p50/p95 s', 'dense bots: share, <=5 min/p95 s', 'events/s'],
      rows,
    ),
  );
  if (perf !== null) {
    console.log(
      `\nT10 replay: ${perf.events.toLocaleString('en-US')} events in ${perf.seconds.toFixed(2)} s = ${Math.round(perf.events / perf.seconds).toLocaleString('en-US')} events/s; ` +
        `naive-rule bookkeeping baseline ${perf.baselineSeconds.toFixed(2)} s (engine/baseline time ratio ${(perf.seconds / perf.baselineSeconds).toFixed(1)}x)`,
    );
  }
  console.log('\nTargets (docs/consensus.md, "8. Benchmark and targets"):\n');
  console.log(
    table(
      ['#', 'target', 'measured (worst case)', 'result'],
      targets.map((t) => [t.id, t.target, t.measured, t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'MISS']),
    ),
  );
  const notes = targets.filter((t) => t.note !== undefined);
  for (const t of notes) console.log(`  ${t.id}: ${t.note}`);
}
