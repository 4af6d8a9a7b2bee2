import { format } from 'node:util';
import type { Logger } from 'pino';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const LEVELS: Record<ConsoleMethod, 'info' | 'warn' | 'error' | 'debug' | 'trace'> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
};

let routed: Logger | null = null;

/**
 * Makes the JSON logger the only writer of a server process (docs/security.md, "Secrets, hostile input
 * and logs"). Libraries print to the console in a few corners (BullMQ when an event has no listener,
 * ioredis for an unhandled connection error, Node's process warnings); those prints become JSON lines
 * of `component: "console"` (or `"process-warning"`), with errors serialised and scrubbed like every
 * other line, instead of multi-line dumps interleaved with the log stream. Idempotent.
 */
export function routeProcessOutputToLogger(logger: Logger): void {
  if (routed) return;
  routed = logger;
  const consoleLogger = logger.child({ component: 'console' });
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    const level = LEVELS[method];
    console[method] = (...args: unknown[]) => {
      const error = args.find((a): a is Error => a instanceof Error);
      const text = format(...args.filter((a) => a !== error));
      if (error) consoleLogger[level]({ err: error }, text || error.message);
      else consoleLogger[level](text);
    };
  }
  // Node's default handler prints warnings to stderr; it is a 'warning' listener installed at startup.
  const warningLogger = logger.child({ component: 'process-warning' });
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => warningLogger.warn({ err: warning }, warning.message));
}
