// The public answer for one IP, cut to what the caller's plan may see (pure).
import type { IpMetadata } from '../../common/ip/ip-metadata.js';
import type { ScoreFields } from '../index/ip-score-index.js';
import { CONFIDENCES, type Confidence, REPORTER_BUCKETS, type ReporterBucket, type Reputation, reputationOf } from '../index/reputation.js';
import type { PlanPolicy } from '../plans/plan.types.js';

export interface RangeSummary {
  /** the /24 (IPv4) or /64 (IPv6) holding the IP */
  cidr: string;
  listed: number;
  maxScore: number;
}

/**
 * What the answer rests on. `trusted`: reports of reporters past the consensus trust gates (or our
 * honeypots, or a consensus listing). `not_enough_trusted_evidence`: only reporters not past the gates
 * (fresh or untrusted agents) reported the IP, so nothing of theirs is shown. `none`: never reported.
 */
export const EVIDENCE = ['trusted', 'not_enough_trusted_evidence', 'none'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface IpAnswer {
  ip: string;
  reputation: Reputation;
  evidence: Evidence;
  score: number;
  confidence: Confidence;
  listed: boolean;
  listedUntil: string | null;
  /** never-list category (crawler, cdn, ...) when the IP is inside one: then `benign`, never listed */
  neverList: string | null;
  reporters?: ReporterBucket;
  scenarios?: readonly string[];
  firstSeen?: string | null;
  lastSeen?: string | null;
  asn?: number | null;
  asName?: string | null;
  country?: string | null;
  range?: RangeSummary;
}

export interface AnswerInput {
  /** canonical text of the queried address */
  ip: string;
  fields: ScoreFields | null;
  neverList: string | null;
  metadata: IpMetadata | null;
  /** computed only when the plan shows it */
  range: RangeSummary | null;
}

export function isoSeconds(seconds: number): string | null {
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * The evidence behind a scored row. The consensus job writes the reporter count and scenario names of
 * trusted reporters only (src/consensus/ip-summary.ts), so a row with no trusted reporter, no honeypot
 * sighting and no listing holds nothing a customer may be shown.
 */
export function evidenceOf(f: ScoreFields | null): Evidence {
  if (f === null) return 'none';
  return f.reporterBucket > 0 || f.honeypot || f.listed ? 'trusted' : 'not_enough_trusted_evidence';
}

export function buildIpAnswer(input: AnswerInput, policy: PlanPolicy): IpAnswer {
  const evidence = evidenceOf(input.fields);
  // Untrusted-only rows answer like an unreported IP, apart from `evidence`.
  const f = evidence === 'trusted' ? input.fields : null;
  // A never-listed IP is not presented as listed even before the consensus job drops the listing.
  const listed = f !== null && f.listed && input.neverList === null;
  const answer: IpAnswer = {
    ip: input.ip,
    reputation: reputationOf(f !== null, f?.score ?? 0, listed, input.neverList),
    evidence,
    score: f?.score ?? 0,
    confidence: CONFIDENCES[f?.confidence ?? 0],
    listed,
    listedUntil: listed && f ? isoSeconds(f.listedUntil) : null,
    neverList: input.neverList,
  };
  const fields = policy.fields;
  if (fields.has('reporters')) answer.reporters = REPORTER_BUCKETS[f?.reporterBucket ?? 0];
  if (fields.has('scenarios')) answer.scenarios = f?.scenarios ?? [];
  if (fields.has('history')) {
    answer.firstSeen = f ? isoSeconds(f.firstSeen) : null;
    answer.lastSeen = f ? isoSeconds(f.lastSeen) : null;
  }
  if (fields.has('network')) {
    answer.asn = input.metadata?.asn ?? null;
    answer.asName = input.metadata?.asName ?? null;
    answer.country = input.metadata?.country ?? null;
  }
  if (fields.has('range') && input.range) answer.range = input.range;
  return answer;
}
