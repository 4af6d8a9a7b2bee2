import type { Signal } from '../detect/signal.js';
import { isRecord } from '../util/json-check.js';

/** One line of the spool file. `a` with `r: "dropped"` marks signals given up (spool full), never sent. */
export type SpoolRecord = { t: 's'; s: Signal } | { t: 'a'; u: string[]; r?: 'dropped' };

const SIGNAL_STRING_KEYS = ['ip', 'scenario', 'scenario_version', 'scenario_hash', 'started_at', 'stopped_at', 'uuid'] as const;

function isSignal(v: unknown): v is Signal {
  return isRecord(v) && SIGNAL_STRING_KEYS.every((k) => typeof v[k] === 'string');
}

/** Parses one line; null for anything torn or foreign (skipped on replay). */
export function parseSpoolLine(line: string): SpoolRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(v)) return null;
  if (v.t === 's' && isSignal(v.s)) return { t: 's', s: v.s };
  if (v.t === 'a' && Array.isArray(v.u) && v.u.every((x) => typeof x === 'string')) {
    return v.r === 'dropped' ? { t: 'a', u: v.u, r: 'dropped' } : { t: 'a', u: v.u };
  }
  return null;
}

export function spoolLine(record: SpoolRecord): string {
  return `${JSON.stringify(record)}\n`;
}
