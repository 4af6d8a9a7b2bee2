import { cpus } from 'node:os';
import { LatencySamples } from '../lib/stats.js';

/** One unit of work (a batch) as seen by the phase runner. */
export interface StepOutcome {
  /** signals the batch stored */
  accepted: number;
  /** items of a stored batch that were refused one by one */
  rejectedItems: number;
  /** the batch's own latency when the step also did client-side work (building, signing) */
  latencyMs?: number;
}

/** A failed batch; `kind` groups failures in the report (e.g. "HTTP 429", "ECONNRESET"). */
export class StepError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

export interface PhaseResult {
  name: string;
  workers: number;
  durationSec: number;
  /** batches completed inside the window */
  batches: number;
  /** signals stored by batches completed inside the window */
  signals: number;
  signalsPerSec: number;
  /** every signal stored by this phase, including batches that finished after the window closed */
  signalsTotal: number;
  rejectedItems: number;
  errors: number;
  errorKinds: Record<string, number>;
  firstError: string | null;
  latencies: LatencySamples;
  /** this (client) process's CPU over the window, in % of one core */
  clientCpuPct: number;
  /** whole machine busy share over the window, in % of all cores (client, server, PostgreSQL, Redis, others) */
  machineCpuPct: number;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    total += t;
    busy += t - c.times.idle;
  }
  return { busy, total };
}

/**
 * Runs `workers` closed loops of `step` for `durationSec`: each worker starts its next batch when the
 * previous one is answered, none starts after the window closes. Rate and latency count only batches
 * completed inside the window; the ones still in flight are awaited and added to `signalsTotal`.
 */
export async function runPhase(
  name: string,
  workers: number,
  durationSec: number,
  step: (worker: number) => Promise<StepOutcome>,
): Promise<PhaseResult> {
  const latencies = new LatencySamples();
  const errorKinds: Record<string, number> = {};
  let firstError: string | null = null;
  let batches = 0;
  let signals = 0;
  let signalsTotal = 0;
  let rejectedItems = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const machine0 = machineTimes();
  const t0 = performance.now();
  const deadline = t0 + durationSec * 1000;

  const loop = async (worker: number): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const outcome = await step(worker);
        const ended = performance.now();
        signalsTotal += outcome.accepted;
        if (ended <= deadline) {
          batches++;
          signals += outcome.accepted;
          rejectedItems += outcome.rejectedItems;
          latencies.push(outcome.latencyMs ?? ended - started);
        }
      } catch (error) {
        errors++;
        const kind = error instanceof StepError ? error.kind : ((error as NodeJS.ErrnoException).code ?? (error as Error).name);
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        firstError ??= (error as Error).message;
        // a failing server must not turn the loop into a busy spin
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };

  const used = { taken: false, cpuMicros: 0, busy: 0, total: 0, seconds: 0 };
  const snapshot = () => {
    const cpu = process.cpuUsage(cpu0);
    const m = machineTimes();
    const seconds = (performance.now() - t0) / 1000;
    Object.assign(used, { taken: true, cpuMicros: cpu.user + cpu.system, busy: m.busy - machine0.busy, total: m.total - machine0.total, seconds });
  };
  const closeWindow = setTimeout(snapshot, durationSec * 1000);
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  clearTimeout(closeWindow);
  if (!used.taken) snapshot();
  const seconds = durationSec;
  return {
    name,
    workers,
    durationSec: seconds,
    batches,
    signals,
    signalsPerSec: seconds > 0 ? signals / seconds : 0,
    signalsTotal,
    rejectedItems,
    errors,
    errorKinds,
    firstError,
    latencies,
    clientCpuPct: used.seconds > 0 ? (used.cpuMicros / 1e6 / used.seconds) * 100 : 0,
    machineCpuPct: used.total > 0 ? (used.busy / used.total) * 100 : 0,
  };
}
