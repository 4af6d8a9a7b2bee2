import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CATALOGUE } from '../src/consensus/simulator/generator/catalogue.js';
import { perfRun } from './consensus/perf.js';
import { printTables } from './consensus/report.js';
import type { RunOutcome, RunTask } from './consensus/run-one.js';
import { evaluateTargets } from './consensus/targets.js';

interface Options {
  seeds: number;
  workers: number;
  only: string | null;
  params: Record<string, unknown>;
  perf: boolean;
  full: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seeds: 2, workers: Math.max(1, Math.min(2, cpus().length)), only: null, params: {}, perf: true, full: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (a === '--seeds') o.seeds = Number(next());
    else if (a === '--workers') o.workers = Number(next());
    else if (a === '--only') o.only = next();
    else if (a === '--params') o.params = JSON.parse(next()) as Record<string, unknown>;
    else if (a === '--no-perf') o.perf = false;
    else if (a === '--full') o.full = true;
  }
  return o;
}

function runPool(tasks: RunTask[], workers: number): Promise<RunOutcome[]> {
  const out: RunOutcome[] = new Array(tasks.length);
  let next = 0;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./consensus/worker.js', import.meta.url));
      const feed = (): void => {
        if (next >= tasks.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const i = next++;
        worker.once('message', (msg: { ok: boolean; outcome?: RunOutcome; error?: string }) => {
          if (!msg.ok || msg.outcome === undefined) {
            void worker.terminate();
            reject(new Error(msg.error));
            return;
          }
          out[i] = msg.outcome;
          const r = msg.outcome;
          process.stderr.write(`  ${r.name}: ${r.events} events, ${Math.round(r.eventsPerSecond)}/s\n`);
          feed();
        });
        worker.postMessage(tasks[i]);
      };
      worker.once('error', reject);
      feed();
    });
  return Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, start)).then(() => out);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const tasks: RunTask[] = [];
  CATALOGUE.forEach((v, variant) => {
    if (o.only !== null && !`${v.family}:${v.variant}`.startsWith(o.only)) return;
    if (v.full === true && !o.full) return;
    for (let seed = 1; seed <= o.seeds; seed++) tasks.push({ variant, seed, params: o.params });
  });
  const t0 = performance.now();
  process.stderr.write(`consensus sweep: ${tasks.length} runs on ${o.workers} workers\n`);
  const runs = await runPool(tasks, o.workers);
  const sweepSeconds = (performance.now() - t0) / 1000;
  let perf = null;
  if (o.perf) {
    process.stderr.write('T10: replaying the 1M-signal flood...\n');
    perf = perfRun();
  }
  printTables(runs, evaluateTargets(runs, perf), perf, sweepSeconds);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
