import { LatencySamples } from '../lib/stats.js';
import type { PhaseResult } from './phase.js';

export const TARGETS = { signalsPerSec: 20_000, ratio: 0.5, p99Ms: 100 } as const;

/** Pools the rounds of one side (total signals over total time, percentiles over all batches). */
export function mergePhases(name: string, parts: readonly PhaseResult[]): PhaseResult {
  const latencies = new LatencySamples();
  const errorKinds: Record<string, number> = {};
  for (const p of parts) {
    latencies.pushAll(p.latencies);
    for (const [k, n] of Object.entries(p.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + n;
  }
  const sum = (pick: (p: PhaseResult) => number) => parts.reduce((acc, p) => acc + pick(p), 0);
  const durationSec = sum((p) => p.durationSec);
  return {
    name,
    workers: parts[0]?.workers ?? 0,
    durationSec,
    batches: sum((p) => p.batches),
    signals: sum((p) => p.signals),
    signalsPerSec: durationSec > 0 ? sum((p) => p.signals) / durationSec : 0,
    signalsTotal: sum((p) => p.signalsTotal),
    rejectedItems: sum((p) => p.rejectedItems),
    errors: sum((p) => p.errors),
    errorKinds,
    firstError: parts.find((p) => p.firstError !== null)?.firstError ?? null,
    latencies,
    clientCpuPct: durationSec > 0 ? sum((p) => p.clientCpuPct * p.durationSec) / durationSec : 0,
    machineCpuPct: durationSec > 0 ? sum((p) => p.machineCpuPct * p.durationSec) / durationSec : 0,
  };
}

/** A side whose batches mostly failed measured nothing meaningful. */
export function failedTooOften(p: PhaseResult, maxShare = 0.01): boolean {
  const attempts = p.batches + p.errors;
  return attempts === 0 || p.signals === 0 || p.errors / attempts > maxShare;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const pct = (n: number) => `${Math.round(n)}%`;

export function phaseTable(rows: readonly PhaseResult[]): string {
  const head = ['', 'signals/s', 'batches/s', 'p50 ms', 'p99 ms', 'errors', 'rejected items', 'client CPU (1 core)', 'machine CPU'];
  const cells = rows.map((r) => [
    r.name,
    int(r.signalsPerSec),
    int(r.batches / r.durationSec),
    ms(r.latencies.percentile(50)),
    ms(r.latencies.percentile(99)),
    String(r.errors),
    String(r.rejectedItems),
    pct(r.clientCpuPct),
    pct(r.machineCpuPct),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (row: readonly string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export function jsonSummary(p: PhaseResult): Record<string, unknown> {
  return {
    signalsPerSec: Math.round(p.signalsPerSec),
    batches: p.batches,
    signals: p.signals,
    signalsTotal: p.signalsTotal,
    p50Ms: round(p.latencies.percentile(50)),
    p99Ms: round(p.latencies.percentile(99)),
    errors: p.errors,
    errorKinds: p.errorKinds,
    rejectedItems: p.rejectedItems,
    clientCpuPct: round(p.clientCpuPct),
    machineCpuPct: round(p.machineCpuPct),
  };
}

export function round(n: number, digits = 3): number | null {
  if (!Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
