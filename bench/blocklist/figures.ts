import { availableParallelism, loadavg } from 'node:os';

export interface Target {
  name: string;
  value: string;
  ok: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** PASS/MISS per target, then one JSON line (the last line) for scripts. Returns whether all passed. */
export function printTargets(targets: readonly Target[]): boolean {
  const width = Math.max(...targets.map((t) => t.name.length));
  const lines = [
    '',
    `bench:blocklist targets (${availableParallelism()} CPUs shared by servers, load generator and databases; 1 min load average ${loadavg()[0].toFixed(2)}):`,
    ...targets.map((t) => `  ${t.name.padEnd(width)}  ${t.value.padStart(9)}  ${t.ok ? 'PASS' : 'MISS'}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'bench:blocklist', node: process.version, targets })}\n`);
  return true;
}
