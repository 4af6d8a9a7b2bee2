// The public answer for one IP, cut to what the caller's plan may see (pure).
import type { IpMetadata } from '../../common/ip/ip-metadata.js';
import type { SpecialPurposeEntry } from '../../common/ip/special-purpose.js';
import type { ScoreFields } from '../index/ip-score-index.js';
import { REPORTER_BUCKETS, type ReporterBucket } from '../../common/reporter-bucket.js';
import { CONFIDENCES, type Confidence, type Reputation, reputationOf, SUSPICIOUS_MIN_SCORE } from '../index/reputation.js';
import type { PlanPolicy } from '../plans/plan.types.js';
import { behavioursOf } from '../../common/scenarios/behaviours.js';

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

/**
 * The verdict in one word. `reserved`: special-purpose space (private, loopback, documentation...,
 * src/common/ip/special-purpose.ts), answered without counting a lookup. `benign`: inside a never-list
 * network. `malicious`: listed by consensus. `suspicious`: not listed, public score at or above
 * SUSPICIOUS_MIN_SCORE. `unknown`: everything else, including IPs reported below that score.
 */
export const CLASSIFICATIONS = ['malicious', 'suspicious', 'benign', 'unknown', 'reserved'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** A never-list network holding the IP: its category (crawler, cdn, resolver...) and the list it came from. */
export interface BenignNetwork {
  category: string;
  source: string;
}

export interface ReservedBlock {
  cidr: string;
  name: string;
  rfc: string;
}

export interface IpAnswer {
  ip: string;
  classification: Classification;
  reputation: Reputation;
  evidence: Evidence;
  score: number;
  confidence: Confidence;
  listed: boolean;
  listedUntil: string | null;
  /** never-list category (crawler, cdn, ...) when the IP is inside one: then `benign`, never listed */
  neverList: string | null;
  /** set when classification is `benign` */
  benign: BenignNetwork | null;
  /** set when classification is `reserved` */
  reserved: ReservedBlock | null;
  reporters?: ReporterBucket | null;
  scenarios?: readonly string[];
  /** scenarios in plain words (src/common/scenarios/behaviours.ts), shown with `scenarios` */
  behaviours?: readonly string[];
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
  neverList: BenignNetwork | null;
  /** the special-purpose block forbidding listing of the IP (src/common/ip/special-purpose.ts `specialPurpose`) */
  reserved: SpecialPurposeEntry | null;
  metadata: IpMetadata | null;
  /** computed only when the plan shows it */
  range: RangeSummary | null;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const DAY_PREFIXES = new Map<number, string>();
/** after 9999-12-31T23:59:59Z toISOString writes a six-digit year */
const LAST_FOUR_DIGIT_SECOND = 253_402_300_799;

/**
 * `new Date(seconds * 1000).toISOString()` for epoch seconds, null for 0 or less. Whole seconds are
 * written from a cached day prefix (three of them per answer, on the first-packet path); anything else
 * goes through Date.
 */
export function isoSeconds(seconds: number): string | null {
  if (!(seconds > 0)) return null;
  if (!Number.isInteger(seconds) || seconds > LAST_FOUR_DIGIT_SECOND) return new Date(seconds * 1000).toISOString();
  const day = Math.floor(seconds / 86_400);
  let prefix = DAY_PREFIXES.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (DAY_PREFIXES.size >= 4096) DAY_PREFIXES.clear();
    DAY_PREFIXES.set(day, prefix);
  }
  const rest = seconds - day * 86_400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest - hours * 3600) / 60);
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[rest - hours * 3600 - minutes * 60]}.000Z`;
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

export function classificationOf(reserved: boolean, benign: boolean, listed: boolean, score: number): Classification {
  if (reserved) return 'reserved';
  if (benign) return 'benign';
  if (listed) return 'malicious';
  return score >= SUSPICIOUS_MIN_SCORE ? 'suspicious' : 'unknown';
}

const NO_NAMES: readonly string[] = Object.freeze([]);

export function buildIpAnswer(input: AnswerInput, policy: PlanPolicy): IpAnswer {
  const reserved = input.reserved;
  // Special-purpose space is never scored: whatever a row says, it answers as reserved.
  const evidence = reserved ? 'none' : evidenceOf(input.fields);
  // Untrusted-only rows answer like an unreported IP, apart from `evidence`.
  const f = evidence === 'trusted' ? input.fields : null;
  const benign = reserved ? null : input.neverList;
  // A never-listed IP is not presented as listed even before the consensus job drops the listing.
  const listed = f !== null && f.listed && benign === null;
  const score = f?.score ?? 0;
  const answer: IpAnswer = {
    ip: input.ip,
    classification: classificationOf(reserved !== null, benign !== null, listed, score),
    reputation: reputationOf(f !== null, score, listed, benign?.category ?? null),
    evidence,
    score,
    confidence: CONFIDENCES[f?.confidence ?? 0],
    listed,
    listedUntil: listed && f ? isoSeconds(f.listedUntil) : null,
    neverList: benign?.category ?? null,
    benign,
    reserved: reserved ? { cidr: reserved.cidr, name: reserved.name, rfc: reserved.rfc } : null,
  };
  const fields = policy.fields;
  if (fields.has('reporters')) answer.reporters = f && f.reporterBucket > 0 ? REPORTER_BUCKETS[f.reporterBucket] : null;
  if (fields.has('scenarios')) {
    answer.scenarios = f?.scenarios ?? NO_NAMES;
    answer.behaviours = f ? behavioursOf(f.scenarios) : NO_NAMES;
  }
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
