export interface BenchOptions {
  /** Measured seconds per server, split evenly across the rounds. */
  durationSec: number;
  /** Alternating measurement rounds (A B, then B A, ...) so drift in machine load hits every server alike. */
  rounds: number;
  /** Unmeasured load per server before its first round. */
  warmupSec: number;
  connections: number;
  /** Longest wait for a server to answer its readiness URL. */
  startTimeoutSec: number;
}

export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = Object.freeze({
  durationSec: 10,
  rounds: 2,
  warmupSec: 3,
  connections: 50,
  startTimeoutSec: 60,
});

interface Rule {
  key: keyof BenchOptions;
  variable: string;
  min: number;
  max: number;
  integer: boolean;
}

const RULES: readonly Rule[] = [
  { key: 'durationSec', variable: 'BENCH_DURATION', min: 0.1, max: 3600, integer: false },
  { key: 'rounds', variable: 'BENCH_ROUNDS', min: 1, max: 20, integer: true },
  { key: 'warmupSec', variable: 'BENCH_WARMUP', min: 0, max: 600, integer: false },
  { key: 'connections', variable: 'BENCH_CONNECTIONS', min: 1, max: 10_000, integer: true },
  { key: 'startTimeoutSec', variable: 'BENCH_START_TIMEOUT', min: 1, max: 600, integer: false },
];

/** Reads BENCH_* overrides; throws one error naming every bad variable. */
export function benchOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: Partial<BenchOptions> = {},
): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS, ...defaults };
  const problems: string[] = [];
  for (const rule of RULES) {
    const raw = env[rule.variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    const kind = rule.integer ? 'an integer' : 'a number';
    if (!Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
      problems.push(`${rule.variable}=${JSON.stringify(raw)} must be ${kind} from ${rule.min} to ${rule.max}`);
      continue;
    }
    options[rule.key] = value;
  }
  if (problems.length > 0) throw new Error(`invalid benchmark settings: ${problems.join('; ')}`);
  return options;
}

/** Worst-case wall time of a comparison, used to arm the watchdog. */
export function timeBudgetSec(options: BenchOptions, servers: number): number {
  const measuring = servers * (options.warmupSec + options.durationSec + options.rounds * 1.5);
  return Math.ceil(servers * options.startTimeoutSec + measuring + 30);
}
