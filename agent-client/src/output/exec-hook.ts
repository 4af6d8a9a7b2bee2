import { spawn } from 'node:child_process';

export interface HookResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** Last KiB of stderr, for the log. */
  stderr: string;
  /** Set when the command could not be started (ENOENT, EACCES). */
  error?: string;
}

const STDERR_KEEP = 1024;

/**
 * Runs `argv` (no shell) with `extraArgs` appended and kills it if it outlives `timeoutMs` (SIGTERM,
 * then SIGKILL after `killGraceMs`). The command gets its own process group and the whole group is
 * signalled, so a shell script's children die with it. Never rejects: the result says what happened.
 */
export function runHook(argv: readonly string[], extraArgs: readonly string[], timeoutMs: number, killGraceMs = 2000): Promise<HookResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (r: Omit<HookResult, 'durationMs' | 'stderr' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ ...r, timedOut, durationMs: Date.now() - started, stderr });
    };
    const child = spawn(argv[0], [...argv.slice(1), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'], shell: false, detached: true });
    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_KEEP);
    });
    let kill: NodeJS.Timeout | undefined;
    const term = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      kill = setTimeout(() => signalGroup('SIGKILL'), killGraceMs);
    }, timeoutMs);
    child.on('error', (e) => finish({ exitCode: null, signal: null, error: e.message }));
    child.on('close', (exitCode, signal) => finish({ exitCode, signal }));
    // a leftover grandchild may hold stderr open: do not wait for it long after the command exited
    child.on('exit', (exitCode, signal) => {
      setTimeout(() => {
        child.stderr.destroy();
        finish({ exitCode, signal });
      }, 200).unref();
    });
  });
}

export function hookSucceeded(r: HookResult): boolean {
  return r.exitCode === 0 && !r.timedOut && r.error === undefined;
}
