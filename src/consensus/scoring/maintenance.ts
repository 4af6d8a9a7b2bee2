import { compareStrings, growI32 } from './columns.js';
import { collectGarbage, judgeUnconfirmed } from './evidence.js';
import type { EngineState } from './state.js';
import { F_COLLUSION, F_WITHDRAWN } from './votes.js';

let ownerStamp = new Int32Array(0);
let stampGen = 0;
const fresh: number[] = [];

/**
 * Collusion pair counting (§3.6), incremental: run every tick over the IPs that gained votes, so a
 * ring that pushes a shared list is merged before the next scoring pass. Each honeypot-dark IP
 * with at least 3 owners keeps the set of owners already paired; a new owner is paired with them.
 */
export function countCoVotes(st: EngineState, now: number): void {
  const { ips, votes, reporters, collusion, p } = st;
  if (st.collusionList.length === 0) return;
  collusion.ensureOwners(reporters.owners.size);
  if (ownerStamp.length < reporters.owners.size) ownerStamp = growI32(ownerStamp, reporters.owners.size);
  const list = st.collusionList;
  st.collusionList = [];
  list.sort((a, b) => compareStrings(ips.keys[a], ips.keys[b]));
  for (const x of list) {
    ips.collusionDirty[x] = 0;
    // During a campaign, IPs listed on independent evidence (voters in many ASNs) are not dark, so
    // co-victims stop piling up shared "dark" IPs once its bots are listed; a listing carried by
    // few ASNs (a ring's), or any listing outside a campaign, keeps counting (docs/consensus.md).
    const rec = ips.listing[x];
    const independent = rec !== undefined && rec.dAs >= p.collusionIndependentAsns && st.inCampaign(x, now);
    const dark = ips.hpLast[x] < now - p.collusionDarkMs && !independent;
    let owners = st.coVoters.get(x);
    if (!dark) {
      for (let e = ips.head[x]; e !== -1 && (votes.flags[e] & F_COLLUSION) === 0; e = votes.nextByIp[e]) votes.flags[e] |= F_COLLUSION;
      continue;
    }
    fresh.length = 0;
    const gen = ++stampGen;
    const stop = owners === undefined ? 0 : F_COLLUSION;
    for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
      if ((votes.flags[e] & stop) !== 0) break;
      if ((votes.flags[e] & F_WITHDRAWN) !== 0) continue;
      const o = reporters.owner[votes.agent[e]];
      if (ownerStamp[o] === gen || owners?.has(o) === true) continue;
      ownerStamp[o] = gen;
      fresh.push(o);
    }
    if (owners === undefined) {
      if (fresh.length < p.collusionMinVoters) continue;
      owners = new Set<number>();
      st.coVoters.set(x, owners);
    }
    for (const u of fresh) {
      collusion.addOwnerDark(u, now);
      for (const o of owners) collusion.addPair(u, o, now);
      owners.add(u);
    }
    for (let e = ips.head[x]; e !== -1 && (votes.flags[e] & F_COLLUSION) === 0; e = votes.nextByIp[e]) votes.flags[e] |= F_COLLUSION;
  }
}

/** Rebuilds the collusion components; rescoring every IP voted by an owner whose voter changed. */
export function rebuildClusters(st: EngineState, now: number): void {
  const { votes, reporters, collusion } = st;
  collusion.ensureOwners(reporters.owners.size);
  const changed = collusion.rebuild(now);
  st.counters.collusionLinks = collusion.links;
  for (const o of changed) {
    for (const r of reporters.ownerAgents[o] ?? []) {
      for (let e = reporters.entryHead[r]; e !== -1; e = votes.nextByAgent[e]) {
        st.markDirty(votes.ip[e]);
        st.forced.add(votes.ip[e]);
      }
    }
  }
}

/** Daily trust forgetting, unconfirmed-report evidence, garbage collection, matcher refresh. */
export function dailyMaintenance(st: EngineState, now: number): void {
  const day = st.dayOf(now);
  if (day <= st.lastMaintenanceDay) return;
  const days = st.lastMaintenanceDay < 0 ? 1 : day - st.lastMaintenanceDay;
  st.lastMaintenanceDay = day;
  st.reporters.forgetAll(days);
  judgeUnconfirmed(st, now);
  collectGarbage(st, now);
  for (const x of [...st.coVoters.keys()]) if (st.ips.head[x] === -1) st.coVoters.delete(x);
  st.collusion.prune(now);
  st.noveltyBlocked.clear();
  st.matcherEpoch++;
  for (let x = 0; x < st.ips.size; x++) if (st.ips.listing[x] !== undefined) st.markDirty(x);
}
