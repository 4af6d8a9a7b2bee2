// What consensus publishes to readers of its scores (the lookup index): row shape and generations.

/** Scenario classes of a feed row are joined with this character. */
export const SCENARIO_SEPARATOR = '\u001f';

/** One ip_score row as the feed hands it over. Times are epoch seconds, 0 when absent. */
export interface FeedScoreRow {
  ipKey: string;
  /** consensus S (weight sum, typically 0-10) */
  score: number;
  reporters: number;
  established: number;
  asns: number;
  /** scenario classes joined by SCENARIO_SEPARATOR ('' when none) */
  scenarios: string;
  firstSeen: number;
  lastSeen: number;
  listed: boolean;
  listedUntil: number;
  honeypot: boolean;
  /** the generation (scoring run) that last wrote the row */
  version: number;
}

/**
 * Generations seen in one snapshot. `max`: the newest generation with rows in ip_score. `committed`: the
 * last generation the consensus job finished (its cursor is saved after every row of the run): a
 * generation above it may still be being written.
 */
export interface StoredGenerations {
  max: number;
  committed: number;
}

/** What a reader needs a snapshot to show before it uses it (else the feed reads the primary). */
export interface FeedNeed {
  /** a generation announced on `<prefix>scores:version` (published once the run committed), 0 when none */
  readonly announced: number;
  /** the complete generation the reader already holds: it must never move back to an older one */
  readonly held: number;
}

/** One snapshot's generations, with the newest complete one, and where it was read. */
export interface FeedSnapshot extends StoredGenerations {
  /** the newest generation whose rows were all in the snapshot */
  complete: number;
  source: 'replica' | 'primary';
}
