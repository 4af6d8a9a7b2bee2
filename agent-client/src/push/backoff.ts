/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * min(max, base * 2^(n-1)), so retries spread out instead of arriving together after an outage.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A server's Retry-After wins over our own schedule, within reason. */
export const MAX_RETRY_AFTER_MS = 3_600_000;
