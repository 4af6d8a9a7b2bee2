import type { ConsensusParams } from './params.js';
import type { EngineCounters, ListingReason, RemovalReason, ReporterKind } from './types.js';

/** Plain JSON-able state. Times are epoch ms; null stands for "never". */

export interface ReporterSnapshot {
  id: string;
  ownerId: string;
  asn: number;
  net: string;
  country: string;
  enrolledAt: number;
  kind: ReporterKind;
  alpha: number;
  beta: number;
  quarantinedAt: number | null;
  fpUpheld: number[];
  /** Times of contradicted claims in the quarantine window (format 2; absent in format 1). */
  contradicted?: number[];
  /** [day, count] of the daily counters: positive evidence, unconfirmed evidence, new IPs. */
  positive: [number, number];
  unconfirmed: [number, number];
  distinct: [number, number];
}

export interface VoteSnapshot {
  reporter: string;
  first: number;
  last: number;
  families: string[];
  flags: number;
}

export interface ListingSnapshot {
  listedAt: number;
  reason: ListingReason;
  confirmed: boolean;
  expiresAt: number;
  S: number;
  dAs: number;
  E: number;
  firstSeen: number;
  lastSeen: number;
  voters: string[];
  /** Owner ids charged to the novelty budget. */
  charged: string[];
  chargedAt: number;
  chargeSettled: boolean;
  removedAt: number | null;
  removeReason: RemovalReason | null;
}

export interface IpSnapshot {
  ipKey: string;
  net: string | null;
  /** Newest first, as the engine iterates them. */
  votes: VoteSnapshot[];
  classes: string[];
  honeypot: { last: number; families: string[]; scanAt: number | null } | null;
  listing: ListingSnapshot | null;
  lastListing: ListingSnapshot | null;
  cooldownUntil: number | null;
  suppressedUntil: number | null;
  protectedUntil: number | null;
  lastListedEnd: number | null;
  lastQualifying: number | null;
  lastScored: number | null;
  nextCheck: number | null;
  belowRuns: number;
  lastS: number;
  gainS: number;
  /** Owners already paired by the collusion detector on this IP. */
  coVoters: string[] | null;
}

export interface EngineSnapshot {
  /** 2 adds contradicted claims per reporter; a format-1 snapshot restores with none. */
  version: 1 | 2;
  params: ConsensusParams;
  scenarioClasses: string[];
  owners: string[];
  reporters: ReporterSnapshot[];
  ips: IpSnapshot[];
  novelty: [string, number[]][];
  collusion: {
    pairs: [string, string, number, number][];
    edges: [string, string][];
    activity: [string, number][];
    dark: [string, number, number][];
  };
  campaigns: { short: number[]; long: number[]; at: number[] };
  /** Member-evidence campaign watch: [family bit, short, long, at, [voter owner, t][], [asn, t][]]. */
  memberCampaigns?: [number, number, number, number, [string, number][], [number, number][]][];
  dirty: string[];
  collusionDirty: string[];
  /** IPs found independent at their collusion settle instant (never counted); absent: none. */
  coIndependent?: string[];
  /**
   * IPs already counted as member evidence of a campaign and never listed (the only ones whose mark
   * still matters: a listed IP is never counted); absent: none (older snapshots).
   */
  campaignCounted?: string[];
  forced: string[];
  lastMaintenanceDay: number;
  nextCollusionAt: number | null;
  counters: EngineCounters;
}
