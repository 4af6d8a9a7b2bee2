import type { ConsensusParams } from './params.js';

/** The §3.4 aggregates of an unlisted IP, as ip_score keeps them, plus what explain looks up. */
export interface UnlistedAggregates {
  S: number;
  /** Voters past the trust gates (V). */
  V: number;
  /** Established voters (E). */
  E: number;
  /** ASNs contributing at least asnMinContribution (D_AS). */
  dAs: number;
  honeypot: boolean;
  /** Owners whose reports do not count yet: every reporter of theirs is younger than the age gate. */
  probation: number;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What an unlisted IP lacks for the add rule of docs/consensus.md (§3.7 (b)), in words an operator
 * can act on. Counts only: never who reported. Empty when the gates already pass (the listing is
 * then held by the novelty budget, a cooldown or a suppression, which the run decides).
 */
export function missingEvidence(p: Pick<ConsensusParams, 'thetaAdd' | 'minAsns' | 'minVoters' | 'minEstablished' | 'ageGateMinMs'>, a: UnlistedAggregates): string[] {
  const out: string[] = [];
  const owners = Math.max(p.minEstablished - a.E, p.minVoters - a.V, 0);
  const networks = Math.max(p.minAsns - a.dAs, 0);
  if (owners > 0 && networks > 0) {
    out.push(`needs ${plural(Math.max(owners, networks), 'more independent established owner', 'more independent established owners')} in other networks`);
  } else if (owners > 0) {
    out.push(`needs ${plural(owners, 'more independent established owner', 'more independent established owners')}`);
  } else if (networks > 0) {
    out.push(`needs reports from ${plural(networks, 'more network (ASN)', 'more networks (ASNs)')}`);
  }
  if (out.length === 0 && a.S < p.thetaAdd) out.push(`needs more trusted evidence (score ${a.S.toFixed(2)} of ${p.thetaAdd})`);
  if (a.probation > 0) {
    const days = Math.round(p.ageGateMinMs / 86_400_000);
    out.push(`${plural(a.probation, 'reporting owner is', 'reporting owners are')} still in the ${days}-day probation period (their reports do not count yet)`);
  }
  return out;
}
