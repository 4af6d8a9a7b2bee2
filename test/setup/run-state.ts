import type pg from 'pg';

/** What the global setup hands to the global teardown (both run in Jest's parent process). */
interface RunState {
  lock?: pg.Client;
  watchdog?: NodeJS.Timeout;
}

export function runState(): RunState {
  const holder = globalThis as unknown as { __quorumTestRun?: RunState };
  holder.__quorumTestRun ??= {};
  return holder.__quorumTestRun;
}
