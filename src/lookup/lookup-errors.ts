import { DomainError } from '../common/errors/domain-error.js';
import type { MeterVerdict, RateState } from './limits/lease-meter.js';

/** `X-RateLimit-Limit/Remaining/Reset` (reset: epoch seconds, as AbuseIPDB does) of the binding window. */
export function rateHeaders(rate: RateState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rate.limit),
    'x-ratelimit-remaining': String(rate.remaining),
    'x-ratelimit-reset': String(rate.resetSec),
  };
}

const VIEW_NAMES = { ip: 'single IP lookups', bulk: 'bulk lookups', range: 'range lookups' } as const;

export const lookupError = {
  invalid(code: string, message: string, rate: RateState): DomainError {
    return new DomainError(400, code, message, undefined, rateHeaders(rate));
  },

  /** 402, as AbuseIPDB answers tier-limited requests: the plan does not include the view. */
  planRestricted(view: keyof typeof VIEW_NAMES, planName: string, rate: RateState): DomainError {
    return new DomainError(402, 'plan_restricted', `The ${planName} plan does not include ${VIEW_NAMES[view]}`, undefined, rateHeaders(rate));
  },

  indexLoading(): DomainError {
    return new DomainError(503, 'index_loading', 'The lookup index is still loading; retry shortly', undefined, { 'retry-after': '5' });
  },

  limited(verdict: Extract<MeterVerdict, { ok: false }>): DomainError {
    const message =
      verdict.code === 'rate_limited'
        ? `Burst limit of ${verdict.rate.limit} requests per second reached for your organisation`
        : `Quota of ${verdict.rate.limit} lookups exhausted for your organisation until the reset`;
    return new DomainError(429, verdict.code, message, undefined, { ...rateHeaders(verdict.rate), 'retry-after': String(verdict.retryAfterSec) });
  },
};
