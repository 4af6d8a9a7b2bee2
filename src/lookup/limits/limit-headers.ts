// The lookup limit headers (pure): the quota and the burst limit, each under its own name.
import type { LimitWindows } from './lease-meter.js';

const MONTH_SECONDS = 30 * 86_400;

/**
 * Headers of every lookup answer, refusals included:
 * - `RateLimit-Policy` and `RateLimit` (IETF draft "RateLimit header fields for HTTP",
 *   draft-ietf-httpapi-ratelimit-headers): one item per limit, `"burst"` (requests per second) and
 *   `"day"` or `"month"` (the binding lookup quota): `q` quota units, `w` window seconds, `r` units
 *   remaining, `t` seconds until the window resets.
 * - `X-RateLimit-Limit/Remaining/Reset`: always the binding lookup quota (reset as epoch seconds, as
 *   AbuseIPDB sends it), also on a burst refusal, where `RateLimit` tells the burst.
 */
export function limitHeaders(w: LimitWindows): Record<string, string> {
  const nowSec = w.nowSec;
  const q = w.quota;
  const b = w.burst;
  const quotaWindow = q.window === 'day' ? 86_400 : MONTH_SECONDS;
  return {
    'ratelimit-policy': `"burst";q=${b.limit};w=1, "${q.window}";q=${q.limit};w=${quotaWindow}`,
    ratelimit: `"burst";r=${b.remaining};t=${Math.max(0, b.resetSec - nowSec)}, "${q.window}";r=${q.remaining};t=${Math.max(0, q.resetSec - nowSec)}`,
    'x-ratelimit-limit': String(q.limit),
    'x-ratelimit-remaining': String(q.remaining),
    'x-ratelimit-reset': String(q.resetSec),
  };
}
