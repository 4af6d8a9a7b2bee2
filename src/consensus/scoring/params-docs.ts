/**
 * How docs/consensus.md ("Parameters") shows a default: durations (names ending in `Ms`) in the
 * largest whole unit, lists comma-separated. Shared by the table and the test that keeps it true.
 */
export function formatParamDefault(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number' && name.endsWith('Ms')) return formatDuration(value);
  return String(value);
}

const UNITS: ReadonlyArray<[ms: number, unit: string]> = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];

function formatDuration(ms: number): string {
  if (ms === 0) return '0 (off)';
  for (const [size, unit] of UNITS) {
    if (ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}
