import { runState } from './run-state.js';

/**
 * After the last test: the run lock is released, and a watchdog is armed. Every test closes what it
 * opens, so Jest exits by itself within seconds; if something still holds the process open minutes
 * later, the run fails here naming what is left, instead of hanging until CI's own time limit.
 * The watchdog's timer is unref'd: it never keeps a clean run alive.
 */
export const EXIT_WATCHDOG_MS = 5 * 60_000;

export default async function globalTeardown(): Promise<void> {
  const state = runState();
  const lock = state.lock;
  state.lock = undefined;
  if (lock) await lock.end().catch(() => undefined);
  if (state.watchdog) return;
  state.watchdog = setTimeout(() => {
    const left = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
    process.stderr.write(`\nJest did not exit ${EXIT_WATCHDOG_MS / 1000} s after the last test; still open: ${left.join(', ')}\n` +
      'A test left an app, client, server, timer or child process open (find it with --detectOpenHandles).\n');
    process.exit(1);
  }, EXIT_WATCHDOG_MS);
  state.watchdog.unref();
}
