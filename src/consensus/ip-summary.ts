import type { ConsensusEngine } from './scoring/engine.js';
import type { Listing } from './scoring/types.js';

export interface IpSummary {
  S: number;
  /**
   * voters past the trust gates (owner- and cluster-collapsed, vote weight ≥ voterMinWeight: V of §3.4),
   * stored as ip_score.reporters; reports of fresh or untrusted agents are not counted (what customers
   * see, docs/security.md)
   */
  V: number;
  E: number;
  D_AS: number;
  honeypot: boolean;
  /** scenario names from trusted reporters only (src/consensus/trusted-scenarios.ts) */
  scenarioClasses: string[];
  listing: Listing | null;
}

/** The §3.4 aggregates of one IP at `now` (engine.explain) plus what ip_score rows also keep. */
export function summarizeIp(engine: ConsensusEngine, ipKey: string, now: number, trustedScenarios: string[]): IpSummary | null {
  const explained = engine.explain(ipKey, now);
  if (!explained) return null;
  return {
    S: explained.S,
    V: explained.V,
    E: explained.E,
    D_AS: explained.D_AS,
    honeypot: explained.H,
    scenarioClasses: trustedScenarios,
    listing: explained.listing,
  };
}
