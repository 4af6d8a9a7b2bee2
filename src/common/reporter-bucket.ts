/**
 * Reporter counts are never disclosed exactly: explanations, lookup answers and IP-holder reports show
 * one of these buckets (docs/security.md "Lookup evidence"). Lookup answers show `null` for no reporter.
 */
export const REPORTER_BUCKETS = ['0', '1-2', '3-5', '6-20', '>20'] as const;
export type ReporterBucket = (typeof REPORTER_BUCKETS)[number];

/** Index into REPORTER_BUCKETS: 0 = no reporter, then 1-2, 3-5, 6-20, >20. */
export function reporterBucketIndex(count: number): number {
  if (count <= 0) return 0;
  if (count <= 2) return 1;
  if (count <= 5) return 2;
  if (count <= 20) return 3;
  return 4;
}

/** The bucketed reporter count. */
export function reporterBucket(count: number): ReporterBucket {
  return REPORTER_BUCKETS[reporterBucketIndex(count)];
}
