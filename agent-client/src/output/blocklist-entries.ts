import { type Cidr, type IpRange, mergeRanges, parseCidr, rangeToCidrs, subtractRanges } from '../net/cidr.js';

export interface PreparedBlocklist {
  v4: Cidr[];
  v6: Cidr[];
  /** Values that are neither an IP nor a CIDR. */
  invalid: string[];
  /** Entries that overlapped the allowlist (removed, or cut around the allowed addresses). */
  allowlisted: number;
  /** /0 entries: never applied, whatever the list says. */
  refused: number;
}

/**
 * Parses blocklist values, removes every allowlisted address (a blocked range that contains an allowed
 * one is split around it) and merges overlaps, so the result is free of duplicates and overlapping
 * intervals (which `nft` rejects in interval sets).
 */
export function prepareBlocklist(values: Iterable<string>, allowlist: readonly IpRange[]): PreparedBlocklist {
  const ranges: Cidr[] = [];
  const invalid: string[] = [];
  let refused = 0;
  for (const value of values) {
    const c = parseCidr(value.trim());
    if (c === null) invalid.push(value);
    else if (c.prefix === 0) refused++;
    else ranges.push(c);
  }
  const holes = mergeRanges(allowlist);
  let allowlisted = 0;
  if (holes.length > 0) {
    for (const r of ranges) {
      if (holes.some((h) => h.family === r.family && h.first <= r.last && h.last >= r.first)) allowlisted++;
    }
  }
  const kept = holes.length > 0 ? subtractRanges(ranges, holes) : mergeRanges(ranges);
  const cidrs = kept.flatMap(rangeToCidrs);
  return { v4: cidrs.filter((c) => c.family === 4), v6: cidrs.filter((c) => c.family === 6), invalid, allowlisted, refused };
}
