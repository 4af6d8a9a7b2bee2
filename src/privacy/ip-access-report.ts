import { AUTOMATED_DECISION, CATEGORIES, COMPLAINT, LAWFUL_BASIS, PURPOSES, RECIPIENTS, RIGHTS, type RetentionNotice, SOURCE, retentionNotice } from './article15-notice.js';
import { COPY_LIMIT, type HeldIpData } from './ip-data.service.js';
import type { RetentionPeriods } from './retention-policy.js';
import { type ReporterBucket, reporterBucket } from '../common/reporter-bucket.js';

const DAY_MS = 86_400_000;

/** The Art. 15(3) copy of the rows held (no reporter column, Art. 15(4)); at most COPY_LIMIT per store. */
export interface IpDataCopy {
  limit: number;
  signals: Array<{ ip: string; received_at: string; source: string; scenario: string; started_at: string; stopped_at: string }>;
  explanations: Array<{ listed_at: string; reason: string; score: number; scenario_classes: string[]; first_seen: string; last_seen: string }>;
  blocklist_entries: Array<{ value: string; scenario_class: string; until: string; current: boolean }>;
  delisting_requests: Array<{ status: string; created_at: string; closed_at: string | null }>;
}

/**
 * What an IP holder is told (R8, GDPR Art. 15): the processing (purposes, lawful basis, categories,
 * recipients, retention, source, rights, complaint route, automated decision-making and its logic) and
 * a copy of what is held. No reporter identity, no pseudonym, no score internals.
 */
export interface IpAccessReport {
  purposes: string[];
  lawful_basis: { article: string; explanation: string };
  categories: string[];
  recipients: string[];
  retention_periods: RetentionNotice;
  source: string;
  rights: Array<{ right: string; how: string }>;
  complaint: string;
  automated_decision_making: { exists: boolean; logic: string; significance: string; human_review: string };
  copy: IpDataCopy;
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
  const c = held.copy;
  return {
    purposes: PURPOSES,
    lawful_basis: LAWFUL_BASIS,
    categories: CATEGORIES,
    recipients: RECIPIENTS,
    retention_periods: retentionNotice(periods),
    source: SOURCE,
    rights: RIGHTS,
    complaint: COMPLAINT,
    automated_decision_making: AUTOMATED_DECISION,
    copy: {
      limit: COPY_LIMIT,
      signals: c.signals.map((r) => ({ ip: r.ip, received_at: r.receivedAt.toISOString(), source: r.source, scenario: r.scenario, started_at: r.startedAt.toISOString(), stopped_at: r.stoppedAt.toISOString() })),
      explanations: c.explanations.map((r) => ({
        listed_at: r.listedAt.toISOString(),
        reason: r.reason,
        score: r.score,
        scenario_classes: r.scenarioClasses,
        first_seen: r.firstSeen.toISOString(),
        last_seen: r.lastSeen.toISOString(),
      })),
      blocklist_entries: c.blocklist.map((r) => ({ value: r.value, scenario_class: r.scenarioClass, until: r.until.toISOString(), current: r.open && r.until > now })),
      delisting_requests: c.delistingRequests.map((r) => ({ status: r.status, created_at: r.createdAt.toISOString(), closed_at: iso(r.closedAt) })),
    },
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
