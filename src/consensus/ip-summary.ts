import type { ConsensusEngine } from './scoring/engine.js';

export interface IpSummary {
  /** reporters with a live vote entry on this IP (whatever their weight) */
  voters: number;
  S: number;
  V: number;
  E: number;
  D_AS: number;
  honeypot: boolean;
  scenarioClasses: string[];
}

/** The §3.4 aggregates of one IP at `now`, read from the engine (used for ip_score rows). */
export function summarizeIp(engine: ConsensusEngine, ipKey: string, now: number): IpSummary | null {
  const st = engine.state;
  const x = st.ips.find(ipKey);
  if (x < 0) return null;
  const n = st.scorer.collect(x, now, st.collusion.root);
  const stats = n > 0 ? st.scorer.stats(false) : { S: 0, V: 0, E: 0, dAs: 0 };
  const classes = (st.ips.classes[x] ?? []).map((c) => st.classes.names[c]).sort();
  return { voters: Math.max(n, st.ips.entries[x]), S: stats.S, V: stats.V, E: stats.E, D_AS: stats.dAs, honeypot: st.honeypotSeen(x, now), scenarioClasses: classes };
}
