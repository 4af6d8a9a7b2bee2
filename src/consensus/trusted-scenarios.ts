import type { ConsensusEngine } from './scoring/engine.js';
import { F_WITHDRAWN } from './scoring/votes.js';

/**
 * Scenario names per IP that customers may see: only those reported by a reporter past the trust gates
 * of the scoring engine (src/consensus/scoring/reporters.ts `weight`: enrolment-age gate, trust lower
 * bound, quarantine) at the time it reported, in a vote the engine kept (not flagged weight 0, not
 * withdrawn), or seen by one of our honeypots. Names sent by fresh or untrusted agents never reach
 * ip_score, so they can neither make an IP look "known" nor put words in a paid lookup answer.
 * Pure (no I/O); rebuilt by replay like the engine.
 */
export class TrustedScenarios {
  private readonly byIp = new Map<string, string[]>();

  /** Called after the engine ingested the signal (`weight0`: flagged by ingestion, counts for nothing). */
  record(engine: ConsensusEngine, reporterId: string, ipKey: string, scenario: string, at: number, weight0: boolean): void {
    if (weight0) return;
    const st = engine.state;
    const r = st.reporters.find(reporterId);
    const x = st.ips.find(ipKey);
    if (r < 0 || x < 0) return;
    if (st.reporters.honeypot[r] !== 1) {
      const e = st.votes.find(x, r);
      if (e < 0 || (st.votes.flags[e] & F_WITHDRAWN) !== 0) return;
      if (st.reporters.weight(r, at) < st.p.voterMinWeight) return;
    }
    const names = this.byIp.get(ipKey);
    if (!names) this.byIp.set(ipKey, [scenario]);
    else if (!names.includes(scenario)) names.push(scenario);
  }

  /** Every IP's names, in insertion order (snapshots: src/consensus/snapshot). */
  entries(): Array<[string, string[]]> {
    return [...this.byIp].map(([key, names]) => [key, [...names]]);
  }

  /** Loads names saved by `entries()` (restoring a snapshot into an empty instance). */
  load(entries: Iterable<[string, string[]]>): void {
    for (const [key, names] of entries) this.byIp.set(key, [...names]);
  }

  /** Sorted trusted scenario names of `ipKey` (empty when none). */
  of(ipKey: string): string[] {
    return [...(this.byIp.get(ipKey) ?? [])].sort();
  }
}
