import type { ChildProcess } from 'node:child_process';

// Every server child runs in its own process group (spawned detached) so that signalling
// -pid also reaches whatever it forked. Kept here so signal handlers can reach all of them.
const live = new Set<ChildProcess>();
let cleanupInstalled = false;

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function liveChildren(): number {
  return live.size;
}

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export function killAllNow(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

/** Ctrl-C, SIGTERM and plain exit all take the server children down with the benchmark. */
export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    process.stderr.write(`\nbench: ${signal}, stopping servers\n`);
    killAllNow();
    process.exit(code);
  };
  process.once('SIGINT', onSignal('SIGINT', 130));
  process.once('SIGTERM', onSignal('SIGTERM', 143));
  process.once('exit', killAllNow);
}

/** Ends the process (servers included) when the whole run overshoots its budget. */
export function armWatchdog(seconds: number): () => void {
  const timer = setTimeout(() => {
    process.stderr.write(`bench: still running after ${seconds}s, giving up\n`);
    killAllNow();
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
  return () => clearTimeout(timer);
}
