import { DomainError } from '../common/errors/domain-error.js';
import type { ErrorCode } from '../common/errors/error-codes.js';
import { LookupErrorCode } from './lookup-error-codes.js';
import type { LimitWindows, MeterVerdict } from './limits/lease-meter.js';
import { limitHeaders } from './limits/limit-headers.js';

const VIEW_NAMES = { ip: 'single IP lookups', bulk: 'bulk lookups', range: 'range lookups', mirror: 'the local mirror' } as const;

export const lookupError = {
  /** 400 for a bad address, block or list (with the caller's limit headers). */
  invalid(code: `${ErrorCode.InvalidIp | LookupErrorCode.InvalidCidr | LookupErrorCode.BulkTooLarge}`, message: string, rate: LimitWindows): DomainError {
    return new DomainError(code, message, undefined, limitHeaders(rate));
  },

  /** 402, as AbuseIPDB answers tier-limited requests: the plan does not include the view. */
  planRestricted(view: keyof typeof VIEW_NAMES, planName: string, rate: LimitWindows): DomainError {
    return new DomainError(LookupErrorCode.PlanRestricted, `The ${planName} plan does not include ${VIEW_NAMES[view]}`, undefined, limitHeaders(rate));
  },

  indexLoading(): DomainError {
    return new DomainError(LookupErrorCode.IndexLoading, 'The lookup index is still loading; retry shortly', undefined, { 'retry-after': '5' });
  },

  /** Headers from the verdict's state after the refusal; the refused window is reported empty. */
  limited(verdict: Extract<MeterVerdict, { ok: false }>): DomainError {
    const windows = verdict.windows;
    const message =
      verdict.code === 'rate_limited'
        ? `Burst limit of ${verdict.rate.limit} requests per second reached for your organisation`
        : `Quota of ${verdict.rate.limit} lookups exhausted for your organisation until the reset`;
    const refused: LimitWindows =
      verdict.code === 'rate_limited'
        ? { ...windows, burst: { ...verdict.rate } }
        : { ...windows, quota: { ...verdict.rate, window: verdict.rate.resetSec - windows.nowSec > 86_400 ? 'month' : 'day' } };
    return new DomainError(verdict.code, message, undefined, { ...limitHeaders(refused), 'retry-after': String(verdict.retryAfterSec) });
  },
};
