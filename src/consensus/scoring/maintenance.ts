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
    let owners = st.coVoters.get(x);
    const independent = independentInCampaign(st, x, now);
    if (independent && owners !== undefined && !st.coUncounted.has(x)) {
      // Counted while its first voters were few, now corroborated in many ASNs during a campaign:
      // take the pairs back, so co-victims do not pile up what the order of sightings gave them.
      collusion.removeShared(owners, now);
      st.coUncounted.add(x);
    }
    const dark = ips.hpLast[x] < now - p.collusionDarkMs && !independent;
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

let asnStamp = new Int32Array(0);
let asnGen = 0;

/**
 * During a campaign of its family, an IP reported by established voters in many ASNs (at least
 * `collusionIndependentAsns`), listed or not yet, is independent evidence, not "dark": co-victims of
 * a campaign that hits a large share of the members overlap by about that share (a cosine of 0.3
 * when each bot hits 30 % of them), and counting the bots would merge them all into one voter. IPs
 * of a ring confined to fewer ASNs, and every IP outside a campaign, keep counting (docs/consensus.md §3).
 */
function independentInCampaign(st: EngineState, x: number, now: number): boolean {
  const { ips, votes, reporters, p } = st;
  const rec = ips.listing[x];
  if (rec !== undefined && rec.dAs < p.collusionIndependentAsns) return false;
  if (!st.inCampaign(x, now)) return false;
  if (rec !== undefined) return true;
  if (asnStamp.length < reporters.asns.size) asnStamp = growI32(asnStamp, reporters.asns.size);
  const gen = ++asnGen;
  let asns = 0;
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) !== 0) continue;
    const r = votes.agent[e];
    const a = reporters.asn[r];
    if (asnStamp[a] === gen || reporters.weight(r, now) < p.establishedWeight) continue;
    asnStamp[a] = gen;
    if (++asns >= p.collusionIndependentAsns) return true;
  }
  return false;
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
  for (const x of [...st.coVoters.keys()]) {
    if (st.ips.head[x] !== -1) continue;
    st.coVoters.delete(x);
    st.coUncounted.delete(x);
  }
  st.collusion.prune(now);
  st.noveltyBlocked.clear();
  st.matcherEpoch++;
  for (let x = 0; x < st.ips.size; x++) if (st.ips.listing[x] !== undefined) st.markDirty(x);
}
