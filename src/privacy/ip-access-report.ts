import type { HeldIpData } from './ip-data.repository.js';
import type { RetentionPeriods } from './retention-policy.js';
import { type ReporterBucket, reporterBucket } from '../common/reporter-bucket.js';

const DAY_MS = 86_400_000;

/** What an IP holder is told (R8): no reporter identity, no pseudonym, no score internals. */
export interface IpAccessReport {
  listed: boolean;
  listed_until: string | null;
  scenario_classes: string[];
  first_seen: string | null;
  last_seen: string | null;
  reporters: ReporterBucket;
  honeypot: boolean;
  source_categories: string[];
  raw_signals: number;
  explanation_records: number;
  delisting_requests: number;
  retention: { raw_signals_until: string | null; aggregate_until: string | null; explanations_until: string | null };
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

function plus(date: Date | null | undefined, days: number): string | null {
  return date ? new Date(date.getTime() + days * DAY_MS).toISOString() : null;
}

export function accessReport(held: HeldIpData, periods: RetentionPeriods, now: Date): IpAccessReport {
  const a = held.aggregate;
  const listedUntil = held.openListing && held.openListing.until > now ? held.openListing.until : a?.listed ? a.listedUntil : null;
  return {
    listed: listedUntil !== null,
    listed_until: iso(listedUntil),
    scenario_classes: a?.scenarios ?? [],
    first_seen: iso(a?.firstSeen ?? held.signals.oldest),
    last_seen: iso(a?.lastSeen ?? held.signals.newest),
    reporters: reporterBucket(a?.reporters ?? 0),
    honeypot: a?.honeypot ?? false,
    source_categories: held.signals.sources,
    raw_signals: held.signals.count,
    explanation_records: held.explanations.count,
    delisting_requests: held.delistingRequests,
    retention: {
      raw_signals_until: plus(held.signals.newest, periods.signalDays),
      aggregate_until: plus(a?.lastSeen, periods.ipScoreDays),
      explanations_until: plus(held.explanations.newest, periods.explanationDays),
    },
  };
}
