import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS, scrubIps } from './log-redaction.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubIps(value);
  if (value instanceof Error) return { type: value.name, message: scrubIps(value.message), stack: scrubIps(value.stack ?? '') };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, depth + 1);
  return out;
}

/** The process logger: JSON lines, credentials censored, IP-shaped text scrubbed (GDPR R15). */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubIps(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    scrubbingStream(destination ?? pino.destination()),
  );
}

/**
 * Last line of defence: child-logger bindings (`logger.child({ ip })`) are serialised once by pino,
 * past the formatters above, so every finished line is scrubbed on its way out too.
 */
function scrubbingStream(target: DestinationStream & { flush?: (cb?: (error?: Error) => void) => void }): DestinationStream {
  return {
    write: (line: string) => target.write(scrubIps(line)),
    flush: (cb?: (error?: Error) => void) => (target.flush ? target.flush(cb) : cb?.()),
  } as DestinationStream;
}

/** Adapts pino to Nest's LoggerService so framework logs are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message !== null && typeof message === 'object') {
      this.logger[level]({ context, ...(message as object) });
      return;
    }
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    this.logger[level]({ context, stack }, String(message));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
}
