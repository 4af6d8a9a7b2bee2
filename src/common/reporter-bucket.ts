export type ReporterBucket = '0' | '1-2' | '3-5' | '6-20' | '>20';

/** The bucketed reporter count shown publicly (consensus.md §3.8): never an exact number. */
export function reporterBucket(count: number): ReporterBucket {
  if (count <= 0) return '0';
  if (count <= 2) return '1-2';
  if (count <= 5) return '3-5';
  if (count <= 20) return '6-20';
  return '>20';
}
