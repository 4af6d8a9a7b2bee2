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

/** Daily: reports older than 72 h with no listing and no honeypot sighting cost +0.05 each. */
export function judgeUnconfirmed(st: EngineState, now: number): void {
  const { votes, ips, reporters, p } = st;
  const cutoff = now - p.unconfirmedAfterMs;
  const day = st.dayOf(now);
  for (let x = 0; x < ips.size; x++) {
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
      if (!confirmed) reporters.addUnconfirmed(votes.agent[e], day);
    }
  }
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
