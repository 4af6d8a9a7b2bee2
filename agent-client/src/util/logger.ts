export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line (journald and log shippers read it as is). */
export function jsonLogger(level: LogLevel, write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const min = RANK[level];
  const log = (l: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[l] < min) return;
    write(`${JSON.stringify({ time: now().toISOString(), level: l, msg, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
