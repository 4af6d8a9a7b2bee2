const HOUR_MS = 3_600_000;

/**
 * How long a delisting request may wait (docs/privacy.md, "Delisting requests are bounded"):
 * - a request whose proof was never served is deleted after `unprovenMs` (it holds the raw IP of
 *   someone who never showed they control it);
 * - a proven request (`verified` or `suppressed`) that no operator has reviewed is escalated after
 *   `escalateMs` (flag `escalated_at`, gauges, alert) and expires after `expireMs`: it is closed as
 *   `expired`, then deleted by the R10 retention 12 months after that closure.
 */
export const DELISTING_EXPIRY = Object.freeze({
  unprovenMs: 7 * 24 * HOUR_MS,
  escalateMs: 72 * HOUR_MS,
  expireMs: 30 * 24 * HOUR_MS,
});

export interface DelistingExpiryCutoffs {
  /** unproven requests created before this are deleted */
  unproven: Date;
  /** unreviewed requests verified before this are escalated */
  escalate: Date;
  /** unreviewed requests verified before this expire */
  expire: Date;
}

/** A request exactly at a cutoff is still inside its period. */
export function delistingExpiryCutoffs(now: Date, rules = DELISTING_EXPIRY): DelistingExpiryCutoffs {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return { unproven: before(rules.unprovenMs), escalate: before(rules.escalateMs), expire: before(rules.expireMs) };
}

export const EXPIRED_UNREVIEWED_JUSTIFICATION = 'No operator review within 30 days of proof: closed by rule (docs/privacy.md).';
