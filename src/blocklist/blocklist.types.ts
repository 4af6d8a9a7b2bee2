import type { BlocklistEntry, BlocklistScope } from './render/types.js';

/** What the consensus engine hands over after a scoring run (one per IP key whose listing changed): the one
 * listing-change type, also used by the port consensus publishes through (src/consensus/listing-publisher.ts). */
export interface ListingChange {
  /** Consensus vote key: an IPv4 address, or an IPv6 /64 such as `2001:db8:1:2::/64`. */
  ipKey: string;
  /** The address or range to publish (for IPv6, published only when QUORUM_BLOCKLIST_IPV6_PREFIX=128). */
  value: string;
  scope: BlocklistScope;
  scenarioClass: string;
  score: number;
  until: Date;
  kind: 'upsert' | 'remove';
}

/** An entry of the current list (one open `blocklist_entry` row). Rows are immutable: (ipKey,
 * addedInVersion) identifies one. */
export interface StoredEntry extends BlocklistEntry {
  ipKey: string;
  addedInVersion: number;
}

/** An open row as the publishing transaction sees it. */
export interface OpenRow extends StoredEntry {
  id: string;
}

export interface NewRow {
  ipKey: string;
  value: string;
  scope: BlocklistScope;
  scenarioClass: string;
  score: number;
  until: Date;
}

export interface VersionInfo {
  id: number;
  createdAt: Date;
  /** Entry rows opened by this version. */
  added: number;
  /** Entry rows closed by this version (removals, replacements and expired rows). */
  removed: number;
  /** Open entry rows after this version. */
  total: number;
}

/** Who downloads: decides the size of the view. */
/** One blocklist row of a key, as its history reads (versions and their publication times). */
export interface KeyHistoryRow {
  scenarioClass: string;
  score: number;
  until: Date;
  addedIn: number;
  removedIn: number | null;
  addedAt: Date | null;
  removedAt: Date | null;
}

export type ViewTier = 'community' | 'contributor' | 'full';

export interface ViewSpec {
  tier: ViewTier;
  /** Entries at most; Infinity for the full list. */
  limit: number;
  /** Scenario classes to keep, sorted and unique; empty keeps every class. */
  scenarios: readonly string[];
}

export function viewKey(spec: ViewSpec): string {
  return `${spec.tier}:${spec.limit}:${spec.scenarios.join(',')}`;
}
