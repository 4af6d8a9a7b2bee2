/**
 * A dependency that is down makes every connection emit an error per reconnection attempt (Redis:
 * several per second across a dozen connections). This keeps one JSON line per interval and label,
 * with the number of errors it stands for, so an outage is visible without flooding the logs.
 */
export function throttledErrorLog(
  warn: (message: string) => void,
  label: string,
  intervalMs = 10_000,
  nowMs: () => number = Date.now,
): (error: Error) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error: Error) => {
    const now = nowMs();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : '';
    lastAt = now;
    suppressed = 0;
    warn(`${label}: ${error.message}${more}`);
  };
}
