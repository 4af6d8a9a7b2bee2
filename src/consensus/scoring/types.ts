/** Public types of the consensus engine. Times are epoch milliseconds. */

/**
 * `internal`: an agent of an organisation the operator vouched for (docs/consensus.md, "Vouched
 * fleets"): established prior, no age gate, and each internal owner counts as its own network.
 */
export type ReporterKind = 'community' | 'honeypot' | 'internal';

export interface ReporterInfo {
  id: string;
  ownerId: string;
  asn: number;
  /** Egress network of the reporter, e.g. `203.0.113.0/24` (IPv6: the /48). */
  net: string;
  country: string;
  enrolledAt: number;
  kind?: ReporterKind;
  /** Trust evidence carried over from before the engine started (defaults: the priors). */
  alpha?: number;
  beta?: number;
}

/** Signal flags set by the ingest gate (§3.1) that the engine must respect. */
export interface SignalFlags {
  /** Stale, uncertified detector, spoofable class, ...: stored elsewhere, weighs 0 here. */
  weight0?: boolean;
  /** The target was already in an ingested public feed when reported (no positive evidence). */
  inPublicFeed?: boolean;
}

export interface Signal extends SignalFlags {
  reporterId: string;
  /** Registers or refreshes the reporter when the engine does not know it yet. */
  reporter?: Omit<ReporterInfo, 'id'>;
  /** Vote key: IPv4 text or the IPv6 /64 (see `ipKey`). */
  ipKey: string;
  /** Network of the target (same form as `ReporterInfo.net`), for the own-network rule. */
  targetNet?: string;
  scenario: string;
  at: number;
}

export type NeverListMatcher = (ipKey: string) => string | null;
export type ProtectedMatcher = (ipKey: string) => boolean;
export type CanaryMatcher = (ipKey: string) => boolean;

export type ListingReason = 'consensus' | 'honeypot';
export type RemovalReason = 'expired' | 'below-keep' | 'suppressed' | 'upheld' | 'never-list';

export interface Explanation {
  reason: ListingReason;
  S: number;
  D_AS: number;
  E: number;
  scenarioClasses: string[];
  firstSeen: number;
  lastSeen: number;
  voterPseudonyms: string[];
}

export interface Listing {
  ipKey: string;
  listedAt: number;
  expiresAt: number;
  reason: ListingReason;
  confirmed: boolean;
  removedAt: number | null;
  removeReason: RemovalReason | null;
  explanation: Explanation;
}

export type QuarantineReason = 'canary' | 'upheld-fps' | 'contradicted';

export interface QuarantineEvent {
  reporterId: string;
  at: number;
  reason: QuarantineReason;
}

export interface TickResult {
  added: Listing[];
  removed: Listing[];
  quarantined: QuarantineEvent[];
}

export type DelistingOutcome = 'upheld' | 'rejected';

export interface EngineOptions {
  neverList?: NeverListMatcher;
  protectedTarget?: ProtectedMatcher;
  canary?: CanaryMatcher;
  /** Maps a reporter id to the pseudonym written into explanation records. */
  pseudonym?: (reporterId: string) => string;
  /** Scenario family used for honeypot compatibility (default: name after `/`, before the first `-`). */
  scenarioFamily?: (scenario: string) => string;
}

/** Counters an operator (or the simulator) can read; they never feed back into decisions. */
export interface EngineCounters {
  signals: number;
  ignoredWeight0: number;
  ignoredQuarantined: number;
  ignoredOwnNetwork: number;
  ignoredNeverList: number;
  ignoredRateCap: number;
  canaryHits: number;
  positiveEvidence: number;
  collusionLinks: number;
  noveltyBlocked: number;
  noveltyRefunds: number;
  /** Candidates held below the campaign ASN floor during a member surge, and before settling. */
  campaignHeld: number;
  settleHeld: number;
  /** Reports judged contradicted (claims only their own owner or cluster corroborated). */
  contradicted: number;
}
