import type { ConsensusEngine } from './scoring/engine.js';
import type { Listing } from './scoring/types.js';

export interface IpSummary {
  /** reporters with a live vote entry on this IP (whatever their weight) */
  voters: number;
  S: number;
  V: number;
  E: number;
  D_AS: number;
  honeypot: boolean;
  scenarioClasses: string[];
  listing: Listing | null;
}

/** The §3.4 aggregates of one IP at `now` (engine.explain) plus what ip_score rows also keep. */
export function summarizeIp(engine: ConsensusEngine, ipKey: string, now: number): IpSummary | null {
  const explained = engine.explain(ipKey, now);
  if (!explained) return null;
  const st = engine.state;
  const x = st.ips.find(ipKey);
  const classes = (st.ips.classes[x] ?? []).map((c) => st.classes.names[c]).sort();
  return {
    voters: Math.max(explained.V, st.ips.entries[x]),
    S: explained.S,
    V: explained.V,
    E: explained.E,
    D_AS: explained.D_AS,
    honeypot: explained.H,
    scenarioClasses: classes,
    listing: explained.listing,
  };
}
