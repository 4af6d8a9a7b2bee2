import { NEVER } from './ip-table.js';
import type { EngineState } from './state.js';
import type { QuarantineReason } from './types.js';
import { F_COLLUSION, F_CREDITED, F_JUDGED, F_PRE, F_WITHDRAWN } from './votes.js';

/** Positive evidence for one vote entry, at most once (§3.2). */
export function creditEntry(st: EngineState, e: number, now: number): void {
  const votes = st.votes;
  if ((votes.flags[e] & (F_PRE | F_CREDITED | F_WITHDRAWN)) !== F_PRE) return;
  votes.flags[e] |= F_CREDITED;
  if (st.reporters.addPositive(votes.agent[e], st.dayOf(now))) st.counters.positiveEvidence++;
}

/**
 * Consensus listing of `x`: credit every reporter that saw it before the listing, unless its
 * voter was pivotal (the listing would not have happened without it).
 */
export function creditConsensusListing(st: EngineState, x: number, now: number, pivotalVoters: ReadonlySet<number>): void {
  const { votes, reporters } = st;
  const root = st.collusion.root;
  for (let e = st.ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if (votes.first[e] > now) continue;
    if (pivotalVoters.has(root[reporters.owner[votes.agent[e]]])) continue;
    creditEntry(st, e, now);
  }
}

/** A honeypot saw `x`: H(x) = 1, and reporters that saw it within ±24 h earn evidence. */
export function honeypotSighting(st: EngineState, x: number, familyBit: number, at: number): void {
  const { ips, votes, p } = st;
  if (ips.hpLast[x] === NEVER) st.campaigns.firstSighting(31 - Math.clz32(familyBit), at);
  if (ips.hpLast[x] < at - p.honeypotWindowMs) ips.hpFamilies[x] = 0;
  ips.hpFamilies[x] |= familyBit;
  if (at > ips.hpLast[x]) ips.hpLast[x] = at;
  const scanFrom = ips.hpScanAt[x];
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if (votes.first[e] < scanFrom) break;
    if (Math.abs(votes.first[e] - at) <= p.positiveHoneypotWindowMs && (votes.families[e] & ips.hpFamilies[x]) !== 0) {
      creditEntry(st, e, at);
    }
  }
  ips.hpScanAt[x] = at;
  const rec = ips.listing[x];
  if (rec !== undefined) {
    rec.confirmed = true;
    if (at > ips.lastQualifying[x]) ips.lastQualifying[x] = at;
  }
  st.markDirty(x);
}

/** Quarantine: weight 0, and the reporter's votes of the last 30 days are withdrawn. */
export function quarantine(st: EngineState, r: number, now: number, reason: QuarantineReason): void {
  const { reporters, votes } = st;
  if (reporters.isQuarantined(r)) return;
  reporters.quarantinedAt[r] = now;
  const since = now - st.p.withdrawalWindowMs;
  for (let e = reporters.entryHead[r]; e !== -1; e = votes.nextByAgent[e]) {
    if (votes.last[e] < since) continue;
    votes.flags[e] |= F_WITHDRAWN;
    st.markDirty(votes.ip[e]);
    st.forced.add(votes.ip[e]);
  }
  st.quarantined.push({ reporterId: reporters.ids.names[r], at: now, reason });
}

/**
 * An operator's release of a quarantine (docs/operators.md, "Community"): weight again from `now` on,
 * and the upheld and contradicted cases that led to it are forgotten (judged by the operator). Votes the
 * quarantine withdrew stay withdrawn; the IPs of the reporter's remaining votes are rescored. Only a
 * quarantine that began at or before `requestedAt` is released (a later one is new evidence). Returns
 * whether the reporter was released.
 */
export function releaseQuarantine(st: EngineState, r: number, requestedAt: number): boolean {
  const { reporters, votes } = st;
  if (!reporters.isQuarantined(r) || reporters.quarantinedAt[r] > requestedAt) return false;
  reporters.quarantinedAt[r] = -1;
  reporters.fpUpheld[r] = undefined;
  reporters.contradicted[r] = undefined;
  for (let e = reporters.entryHead[r]; e !== -1; e = votes.nextByAgent[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) !== 0) continue;
    st.markDirty(votes.ip[e]);
    st.forced.add(votes.ip[e]);
  }
  return true;
}

/**
 * Upheld false positive on a listed (or previously listed) `x`: +3 negative evidence to every
 * voter; 3 upheld cases in 30 days quarantine the reporter.
 */
export function penaliseVoters(st: EngineState, x: number, now: number): void {
  const { reporters, votes, ips, p } = st;
  const rec = ips.listing[x] ?? ips.lastListing[x];
  if (rec === undefined) return;
  const agents = new Set<number>(rec.voters);
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) === 0) agents.add(votes.agent[e]);
  }
  for (const r of [...agents].sort((a, b) => a - b)) {
    if (reporters.isQuarantined(r)) continue;
    reporters.addNegative(r, p.negUpheldFp);
    if (reporters.recordUpheld(r, now) >= p.quarantineFpCount) quarantine(st, r, now, 'upheld-fps');
  }
}

/**
 * Daily: reports older than 72 h with no listing and no honeypot sighting cost +0.05 each. Those
 * whose IP was reported by at least `collusionMinVoters` reporters that are all one voter (one
 * owner, or one collusion cluster: a ring copying a list), with no established reporter outside it,
 * are contradicted claims: +`negContradicted` each, and `quarantineContradicted` of them within
 * the quarantine window quarantine the reporter, although nothing was listed (docs/consensus.md,
 * "Sybil cost"). An honest attacker seen by several agents of one owner only is rare, and one
 * owner's reports alone never reach the count.
 */
export function judgeUnconfirmed(st: EngineState, now: number): void {
  const { votes, ips, reporters, p } = st;
  const cutoff = now - p.unconfirmedAfterMs;
  const day = st.dayOf(now);
  const root = st.collusion.root;
  for (let x = 0; x < ips.size; x++) {
    let group = -2;
    for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
      const f = votes.flags[e];
      if ((f & F_JUDGED) !== 0 || votes.first[e] > cutoff) continue;
      votes.flags[e] = f | F_JUDGED;
      if ((f & (F_WITHDRAWN | F_CREDITED)) !== 0) continue;
      const first = votes.first[e];
      const confirmed =
        ips.listing[x] !== undefined ||
        (ips.lastListedEnd[x] !== NEVER && ips.lastListedEnd[x] >= first) ||
        ips.hpLast[x] >= first - p.honeypotWindowMs;
      if (confirmed) continue;
      const r = votes.agent[e];
      reporters.addUnconfirmed(r, day);
      if (group === -2) group = singleVoterGroup(st, x, now);
      if (group >= 0 && root[reporters.owner[r]] === group) contradicted(st, r, now);
    }
  }
}

/**
 * The voter (collusion root of an owner) that alone corroborates `x`, or -1: at least
 * `collusionMinVoters` live reports come from agents of that voter, and no established reporter
 * outside it reported `x` (when no reporter is established, every report must come from it).
 */
function singleVoterGroup(st: EngineState, x: number, now: number): number {
  const { votes, ips, reporters, p } = st;
  const root = st.collusion.root;
  let established = -1;
  let any = -1;
  let mixed = false;
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) !== 0) continue;
    const r = votes.agent[e];
    const g = root[reporters.owner[r]];
    if (any === -1) any = g;
    else if (g !== any) mixed = true;
    if (reporters.weight(r, now) < p.establishedWeight) continue;
    if (established === -1) established = g;
    else if (g !== established) return -1;
  }
  const group = established !== -1 ? established : mixed ? -1 : any;
  if (group === -1) return -1;
  let n = 0;
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) === 0 && root[reporters.owner[votes.agent[e]]] === group) n++;
  }
  return n >= p.collusionMinVoters ? group : -1;
}

/** One contradicted claim of reporter `r`: negative evidence, and quarantine at the count. */
export function contradicted(st: EngineState, r: number, now: number): void {
  const { reporters, p } = st;
  if (reporters.isQuarantined(r)) return;
  st.counters.contradicted++;
  reporters.addNegative(r, p.negContradicted);
  if (p.quarantineContradicted > 0 && reporters.recordContradicted(r, now) >= p.quarantineContradicted) quarantine(st, r, now, 'contradicted');
}

/** Entries that no longer matter: judged, older than the vote lifetime and the collusion window. */
export function collectGarbage(st: EngineState, now: number): number {
  const { votes, ips, reporters, p } = st;
  const cutoff = now - Math.max(p.voteMaxAgeMs, p.unconfirmedAfterMs);
  return votes.compact(ips.head, ips.size, reporters.entryHead, reporters.size, (e) => {
    const f = votes.flags[e];
    const dead = (f & F_JUDGED) !== 0 && votes.last[e] < cutoff && ((f & F_COLLUSION) !== 0 || votes.last[e] < now - p.collusionWindowMs);
    if (dead) ips.entries[votes.ip[e]]--;
    return dead;
  });
}
