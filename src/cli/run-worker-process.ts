import { type ChildProcess, fork } from 'node:child_process';
import type { Logger } from 'pino';

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;

/**
 * The worker role of `quorum all` in a child process of its own, so scoring (CPU-bound, seconds per
 * run under load) never runs on the event loop that answers HTTP. The child is the ordinary
 * `quorum worker` (same environment, same configuration); it is restarted with backoff if it dies,
 * and on shutdown it is asked to finish its active jobs and waited for. The child runs in its own
 * process group, so a terminal's Ctrl-C reaches the parent only, which then stops the child once.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private closing = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly logger: Logger) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = fork(new URL('./run-worker-child.js', import.meta.url), [], { detached: true, stdio: 'inherit' });
    this.child = child;
    const startedAt = Date.now();
    child.on('error', (error) => this.logger.error({ err: error }, 'worker process error'));
    child.on('exit', (code, signal) => {
      this.child = null;
      if (this.closing) return;
      // A child that ran for a while before dying starts again quickly; one that dies at boot backs off.
      this.failures = Date.now() - startedAt > 60_000 ? 1 : this.failures + 1;
      const delay = Math.min(RESTART_MIN_MS * 2 ** (this.failures - 1), RESTART_MAX_MS);
      this.logger.error({ code, signal, restartInMs: delay }, 'worker process exited; restarting it');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.closing) this.start();
      }, delay);
    });
    this.logger.info({ pid: child.pid }, 'Quorum worker process started');
  }

  /** Asks the child to shut down gracefully and waits for it (the caller's shutdown timeout bounds the wait). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send('shutdown', (error) => error && child.kill('SIGTERM'));
    else child.kill('SIGTERM');
    await exited;
  }
}
