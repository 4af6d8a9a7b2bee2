/**
 * The one check for timestamps that clients send (signal times, CrowdSec alert times): a strict
 * RFC 3339 date-time that names a real calendar instant, inside a window around the server clock.
 * Values outside the window are refused as malformed (400), before any per-item rule looks at them:
 * year 0001 or 9999 is not a late or early report, it is a broken or hostile client.
 */
const DAY_MS = 86_400_000;

export interface TimestampWindow {
  /** how far before now a timestamp may lie */
  readonly maxPastMs: number;
  /** how far after now a timestamp may lie */
  readonly maxFutureMs: number;
}

/** Event times: a year back (retention keeps far less), a day ahead (clock skew is checked separately). */
export const EVENT_TIME_WINDOW: TimestampWindow = { maxPastMs: 366 * DAY_MS, maxFutureMs: DAY_MS };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch of a strict RFC 3339 date-time, or null (bad syntax or no such instant). */
export function parseRfc3339(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const ms = Date.parse(value.toUpperCase());
  return Number.isFinite(ms) ? ms : null;
}

/** Why a client timestamp is refused, or null; `parsed` holds the instant when it is accepted. */
export function timestampProblem(
  value: unknown,
  nowMs: number,
  window: TimestampWindow = EVENT_TIME_WINDOW,
): { problem: string } | { parsed: number } {
  const ms = typeof value === 'string' ? parseRfc3339(value) : null;
  if (ms === null) return { problem: 'must be an RFC 3339 timestamp (e.g. 2026-11-25T15:48:36Z)' };
  if (ms < nowMs - window.maxPastMs || ms > nowMs + window.maxFutureMs) {
    const days = (n: number) => `${Math.round(n / DAY_MS)} day${Math.round(n / DAY_MS) === 1 ? '' : 's'}`;
    return { problem: `must lie between ${days(window.maxPastMs)} before and ${days(window.maxFutureMs)} after the server clock` };
  }
  return { parsed: ms };
}
