import type { StorageFigures } from './observe.js';

/** What "done" asks of a soak (issue 24), checked per target. */
export const SOAK_TARGETS = {
  lookupP99Ms: 20,
  eventLoopP99Ms: 50,
  maxWaitingRuns: 2,
  lastToSecondRunTime: 1.5,
  rssSlopeMbPerMin: 2,
  bytesPerSignal: 500,
  ceilingSignalsPerSec: 10_000,
} as const;

export interface MinuteRow {
  minute: number;
  lookup: [number, number];
  signals: [number, number];
  delta: [number, number];
  failed: number;
  shed: number;
  acceptedPerSec: number;
  lagP99Ms: number;
  lagMaxMs: number;
  runs: number;
  runMedianMs: number;
  runMaxMs: number;
  /** Share of the minute the scoring queue spent running jobs (any job: rebuilds included). */
  scoringBusyPct: number;
  maxWaiting: number;
  maxDelayed: number;
  backlog: number;
  /** Trend of the unscored signals over the window (least squares of per-second samples), per second. */
  backlogSlopePerSec: number;
  /** Every server process (API, worker, children). */
  rssMb: number;
  /** The API process alone (in `quorum all`, without its worker child). */
  apiRssMb: number;
  load1: number;
}

export interface CeilingStep {
  rate: number;
  acceptedPerSec: number;
  /** Trend of the unscored signals, per second. */
  backlogGrowth: number;
  maxWaiting: number;
  lookupP99Ms: number;
  keepsUp: boolean;
  reason: string;
}

const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

export function minuteHeader(): string {
  return 'min  lookup p50/p99 ms  batch p50/p99 ms   delta p50/p99 ms  fail shed  signals/s  loop lag p99/max ms  runs  run med/max ms  busy %  wait/delayed  backlog  RSS api/all MB  load1';
}

export function minuteLine(r: MinuteRow): string {
  return [
    String(r.minute).padStart(3),
    `${f(r.lookup[0], 2)}/${f(r.lookup[1])}`.padStart(18),
    `${f(r.signals[0])}/${f(r.signals[1])}`.padStart(17),
    `${f(r.delta[0])}/${f(r.delta[1])}`.padStart(17),
    String(r.failed).padStart(5),
    String(r.shed).padStart(4),
    f(r.acceptedPerSec, 0).padStart(10),
    `${f(r.lagP99Ms)}/${f(r.lagMaxMs)}`.padStart(20),
    String(r.runs).padStart(5),
    `${f(r.runMedianMs, 0)}/${f(r.runMaxMs, 0)}`.padStart(15),
    f(r.scoringBusyPct, 0).padStart(7),
    `${r.maxWaiting}/${r.maxDelayed}`.padStart(13),
    String(r.backlog).padStart(8),
    `${f(r.apiRssMb, 0)}/${f(r.rssMb, 0)}`.padStart(14),
    f(r.load1, 2).padStart(6),
  ].join(' ');
}

export interface Verdict {
  pass: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

/** The checks of the "done when" that one soak can answer. Warm-up: the first two minutes. */
export function verdict(rows: readonly MinuteRow[], storage: StorageFigures, rssSlope: number, ceiling: number | null): Verdict {
  // "Every minute": a minute without a figure (e.g. /metrics did not answer) cannot show the bound held.
  const worst = (pick: (r: MinuteRow) => number) => (rows.length === 0 || rows.some((r) => !Number.isFinite(pick(r))) ? Number.NaN : rows.reduce((m, r) => Math.max(m, pick(r)), 0));
  const second = rows.find((r) => r.minute === 2)?.runMedianMs ?? Number.NaN;
  const last = rows.at(-1)?.runMedianMs ?? Number.NaN;
  const checks = [
    { name: `lookup p99 <= ${SOAK_TARGETS.lookupP99Ms} ms every minute`, value: worst((r) => r.lookup[1]), limit: SOAK_TARGETS.lookupP99Ms, unit: 'ms (worst minute)' },
    { name: `event-loop lag p99 <= ${SOAK_TARGETS.eventLoopP99Ms} ms every minute`, value: worst((r) => r.lagP99Ms), limit: SOAK_TARGETS.eventLoopP99Ms, unit: 'ms (worst minute)' },
    { name: `scoring runs waiting <= ${SOAK_TARGETS.maxWaitingRuns}`, value: worst((r) => r.maxWaiting), limit: SOAK_TARGETS.maxWaitingRuns, unit: 'at most' },
    { name: `run time last minute <= ${SOAK_TARGETS.lastToSecondRunTime}x second minute`, value: last / second, limit: SOAK_TARGETS.lastToSecondRunTime, unit: `x (${f(last, 0)} / ${f(second, 0)} ms)` },
    { name: `RSS slope after warm-up <= ${SOAK_TARGETS.rssSlopeMbPerMin} MB/min`, value: rssSlope, limit: SOAK_TARGETS.rssSlopeMbPerMin, unit: 'MB/min' },
    { name: `bytes per signal <= ${SOAK_TARGETS.bytesPerSignal}`, value: storage.bytesPerSignal, limit: SOAK_TARGETS.bytesPerSignal, unit: 'B (signal partitions with their indexes)' },
  ].map((c) => ({ name: c.name, ok: Number.isFinite(c.value) && c.value <= c.limit, detail: `${f(c.value, 2)} ${c.unit}` }));
  if (ceiling !== null) {
    checks.push({
      name: `scoring keeps up with >= ${SOAK_TARGETS.ceilingSignalsPerSec} signals/s`,
      ok: ceiling >= SOAK_TARGETS.ceilingSignalsPerSec,
      detail: `${ceiling} signals/s sustained`,
    });
  }
  return { pass: checks.every((c) => c.ok), checks };
}
