import { parentPort } from 'node:worker_threads';
import { runOne, type RunTask } from './run-one.js';

parentPort?.on('message', (task: RunTask) => {
  try {
    parentPort?.postMessage({ ok: true, outcome: runOne(task) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.stack : String(err) });
  }
});
