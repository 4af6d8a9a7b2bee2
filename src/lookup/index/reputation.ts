// How the consensus aggregates of one ip_score row become the public lookup vocabulary (pure).

/**
 * The consensus score S is a sum of trust-weighted votes (θ_add = 3.0 lists, θ_keep = 1.0 keeps).
 * Public score = round(100 · (1 − e^(−S / 3))): 0 → 0, θ_keep → 28, θ_add → 63, 6 → 86, 10 → 96.
 * Saturating, so a handful of extra votes on an already-listed IP does not run past 100.
 */
export const SCORE_SCALE = 3.0;
export const KEEP_THRESHOLD = 1.0;

export function publicScore(s: number): number {
  if (!(s > 0)) return 0;
  return Math.min(100, Math.round(100 * (1 - Math.exp(-s / SCORE_SCALE))));
}

/** Unlisted IPs at or above this public score (θ_keep) are `suspicious`. */
export const SUSPICIOUS_MIN_SCORE = publicScore(KEEP_THRESHOLD);

export type Reputation = 'malicious' | 'suspicious' | 'known' | 'benign' | 'unknown';
export type Confidence = 'none' | 'low' | 'medium' | 'high';

export const CONFIDENCES: readonly Confidence[] = ['none', 'low', 'medium', 'high'];

/**
 * How much the evidence can be trusted: high when our honeypots saw the IP or when ≥ 3 established
 * reporters in ≥ 3 ASNs agree (the listing gate); medium with an established reporter or 3+ reporters
 * across 2+ ASNs; low otherwise. Index into CONFIDENCES.
 */
export function confidenceIndex(row: { reporters: number; established: number; asns: number; honeypot: boolean }): number {
  if (row.honeypot || (row.established >= 3 && row.asns >= 3)) return 3;
  if (row.asns >= 2 && (row.established >= 1 || row.reporters >= 3)) return 2;
  return row.reporters > 0 || row.established > 0 ? 1 : 0;
}

/** A never-listed network (crawler, CDN, resolver...) is benign whatever was reported about it. */
export function reputationOf(known: boolean, score: number, listedNow: boolean, neverList: string | null): Reputation {
  if (neverList !== null) return 'benign';
  if (!known) return 'unknown';
  if (listedNow) return 'malicious';
  return score >= SUSPICIOUS_MIN_SCORE ? 'suspicious' : 'known';
}

/**
 * Range score: the chance that at least one member is malicious if each member's public score were a
 * probability (noisy-OR), 0-100. One member at 90 gives 90; three at 50 give 88.
 */
export function combineRangeScore(memberScores: Iterable<number>): number {
  let clean = 1;
  for (const s of memberScores) clean *= 1 - Math.min(100, Math.max(0, s)) / 100;
  return Math.round(100 * (1 - clean));
}
