import { partitionDay } from '../signals/signal-partitions.js';

const DAY_MS = 86_400_000;

export interface RetentionPeriods {
  signalDays: number;
  /** Not a table's period: how long a resent signal uuid is recognised (src/signals/signals.repository.ts). */
  signalUuidDays: number;
  ipScoreDays: number;
  blocklistDays: number;
  explanationDays: number;
  delistingDays: number;
  auditDays: number;
  usageDays: number;
  privacyRequestDays: number;
}

/** Rows dated strictly before a cutoff are past their period; a row exactly at the cutoff survives. */
export interface RetentionCutoffs {
  signal: Date;
  ipScore: Date;
  blocklist: Date;
  explanation: Date;
  delisting: Date;
  audit: Date;
  usage: Date;
  privacyRequest: Date;
  /** Unverified IP-holder requests hold the raw IP: they go after 7 days whatever the period above. */
  pendingPrivacyRequest: Date;
}

export const PENDING_REQUEST_DAYS = 7;

/** R6: network pseudonym, ASN and country derived from an agent's address are kept this long. */
export const NETWORK_DERIVED_DAYS = 30;

export function retentionCutoffs(now: Date, p: RetentionPeriods): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    signal: before(p.signalDays),
    ipScore: before(p.ipScoreDays),
    blocklist: before(p.blocklistDays),
    explanation: before(p.explanationDays),
    delisting: before(p.delistingDays),
    audit: before(p.auditDays),
    usage: before(p.usageDays),
    privacyRequest: before(p.privacyRequestDays),
    pendingPrivacyRequest: before(PENDING_REQUEST_DAYS),
  };
}

/**
 * Day partitions of `signal` whose every row is older than the cutoff (the partition ends at or
 * before it). Partitions created ahead of time and the one holding the cutoff are kept; rows of the
 * latter older than the cutoff are deleted row by row.
 */
export function partitionsToDrop(names: readonly string[], cutoff: Date): string[] {
  return names.filter((name) => {
    const day = partitionDay(name);
    return day !== null && day + DAY_MS <= cutoff.getTime();
  });
}

/** Periods the metrics compare the oldest row against, per retained table (seconds). */
export function retentionLimits(p: RetentionPeriods): Record<string, number> {
  const s = (days: number) => days * 86_400;
  return {
    signal: s(p.signalDays),
    ip_score: s(p.ipScoreDays),
    blocklist_version: s(p.blocklistDays),
    listing_explanation: s(p.explanationDays),
    delisting_request: s(p.delistingDays),
    audit_log: s(p.auditDays),
    usage_counter: s(p.usageDays),
    privacy_request: s(p.privacyRequestDays),
  };
}
