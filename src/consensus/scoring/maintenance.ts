import { compareStrings, growI32 } from './columns.js';
import { collectGarbage, judgeUnconfirmed } from './evidence.js';
import type { EngineState } from './state.js';
import { F_COLLUSION, F_WITHDRAWN } from './votes.js';

let ownerStamp = new Int32Array(0);
let stampGen = 0;
const fresh: number[] = [];

/**
 * Collusion pair counting (docs/consensus.md §3), incremental: run every tick over the IPs that
 * gained votes and the IPs waiting to settle. A honeypot-dark IP is counted once it has at least 3
 * owners; later owners are paired with those already there as they come. During a campaign of its
 * family an IP is first counted at its settle instant (`collusionSettleMs` after its first report),
 * with every owner that reported it by then, and never when its established reporters of that
 * instant span `collusionIndependentAsns` ASNs: co-victims of a broad campaign are independent
 * evidence. An IP counted at once because scoring had not seen the campaign yet (its first run) is
 * held the same way until its settle instant, and its pairs are taken back if it turns out
 * independent. Deciding from the reports made by a fixed instant of the IP's own history, not from
 * what one scoring run happened to hold, gives the same counts however signals fall into runs (a
 * live worker's runs, a replay's cadence). Outside campaigns IPs are counted at once, so a ring
 * pushing a list is merged before it lists.
 */
export function countCoVotes(st: EngineState, now: number): void {
  const { ips, votes, reporters, collusion, p } = st;
  if (st.collusionList.length === 0 && st.coPending.size === 0) return;
  collusion.ensureOwners(reporters.owners.size);
  if (ownerStamp.length < reporters.owners.size) ownerStamp = growI32(ownerStamp, reporters.owners.size);
  const list = st.collusionList;
  st.collusionList = [];
  for (const x of st.coPending) if (ips.collusionDirty[x] === 0) list.push(x);
  list.sort((a, b) => compareStrings(ips.keys[a], ips.keys[b]));
  for (const x of list) {
    ips.collusionDirty[x] = 0;
    let owners = st.coVoters.get(x);
    if (owners !== undefined && ips.hpLast[x] < now - p.collusionDarkMs) {
      if (settling(st, x, owners, now)) continue;
      st.coPending.delete(x);
    }
    // Once counted, during a campaign, IPs listed on independent evidence (voters in many ASNs) stop
    // pairing their later owners; a listing carried by few ASNs (a ring's), or any listing outside a
    // campaign, keeps counting (docs/consensus.md §2).
    const rec = owners === undefined ? undefined : ips.listing[x];
    const independent = st.coIndependent.has(x) || (rec !== undefined && rec.dAs >= p.collusionIndependentAsns && st.inCampaign(x, now));
    const dark = ips.hpLast[x] < now - p.collusionDarkMs && !independent;
    if (!dark) {
      st.coPending.delete(x);
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
      if (fresh.length < p.collusionMinVoters) {
        st.coPending.delete(x);
        continue;
      }
      const campaign = p.collusionIndependentAsns > 0 && st.inCampaign(x, now);
      const settleAt = campaign ? firstReport(st, x) + p.collusionSettleMs : -Infinity;
      if (campaign && independentAtSettle(st, x, settleAt, now)) {
        st.coIndependent.add(x);
        st.coPending.delete(x);
        for (let e = ips.head[x]; e !== -1 && (votes.flags[e] & F_COLLUSION) === 0; e = votes.nextByIp[e]) votes.flags[e] |= F_COLLUSION;
        continue;
      }
      if (now < settleAt) {
        st.coPending.add(x);
        continue;
      }
      st.coPending.delete(x);
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

/**
 * An IP counted at once, before scoring had seen a campaign of its family (its first run), that is
 * in one now and has not reached its settle instant: it pairs no new owner until that instant, and
 * when its established reporters of that instant span `collusionIndependentAsns` ASNs its pairs
 * are taken back and it is independent, as if the campaign had been known when it was first seen.
 * Returns whether the IP is done for this run.
 */
function settling(st: EngineState, x: number, owners: Set<number>, now: number): boolean {
  const { p } = st;
  if (p.collusionIndependentAsns <= 0 || !st.inCampaign(x, now)) return false;
  const settleAt = firstReport(st, x) + p.collusionSettleMs;
  if (now >= settleAt) return false;
  if (independentAtSettle(st, x, settleAt, now)) {
    st.collusion.removeShared([...owners].sort((a, b) => a - b), now);
    st.coVoters.delete(x);
    st.coIndependent.add(x);
    st.coPending.delete(x);
    const { ips, votes } = st;
    for (let e = ips.head[x]; e !== -1 && (votes.flags[e] & F_COLLUSION) === 0; e = votes.nextByIp[e]) votes.flags[e] |= F_COLLUSION;
    return true;
  }
  st.coPending.add(x);
  return true;
}

/** Earliest first report of `x` among the votes that still count. */
function firstReport(st: EngineState, x: number): number {
  const { ips, votes } = st;
  let first = Infinity;
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) === 0 && votes.first[e] < first) first = votes.first[e];
  }
  return first;
}

let asnStamp = new Int32Array(0);
let asnGen = 0;

/**
 * Whether `x` (its family in a campaign) was reported by established reporters in at least
 * `collusionIndependentAsns` ASNs by its settle instant (reports first made after it do not count,
 * whenever the run that reads them happens). Co-victims of a campaign that hits a large share of
 * the members overlap by about that share, and counting the bots would merge them all into one
 * voter; IPs of a ring confined to fewer ASNs, and every IP outside a campaign, are counted.
 */
function independentAtSettle(st: EngineState, x: number, settleAt: number, now: number): boolean {
  const { ips, votes, reporters, p } = st;
  if (asnStamp.length < reporters.asns.size) asnStamp = growI32(asnStamp, reporters.asns.size);
  const gen = ++asnGen;
  let asns = 0;
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    if ((votes.flags[e] & F_WITHDRAWN) !== 0 || votes.first[e] > settleAt) continue;
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
  for (const x of [...st.coVoters.keys()]) if (st.ips.head[x] === -1) st.coVoters.delete(x);
  for (const x of [...st.coIndependent]) if (st.ips.head[x] === -1) st.coIndependent.delete(x);
  st.collusion.prune(now);
  st.noveltyBlocked.clear();
  st.matcherEpoch++;
  for (let x = 0; x < st.ips.size; x++) if (st.ips.listing[x] !== undefined) st.markDirty(x);
}
