import { creditConsensusListing } from './evidence.js';
import { NO_CATEGORY } from './ip-table.js';
import { mergeVoters, type ListingRecord } from './listing.js';
import type { ScoreStats } from './score.js';
import type { EngineState } from './state.js';
import type { ListingReason, RemovalReason } from './types.js';

const pivotScratch: number[] = [];

function copy(s: ScoreStats): ScoreStats {
  return { S: s.S, dAs: s.dAs, V: s.V, E: s.E };
}

/** Rescores one dirty IP and applies the §3.7 add / keep / remove rules. */
export function evaluate(st: EngineState, x: number, now: number, forced: boolean): void {
  const rec = st.ips.listing[x];
  if (rec !== undefined) evaluateListed(st, x, rec, now);
  else evaluateCandidate(st, x, now, forced);
}

function evaluateCandidate(st: EngineState, x: number, now: number, forced: boolean): void {
  const { ips, p, scorer } = st;
  if (st.neverCategory(x) !== NO_CATEGORY) return;
  if (ips.suppressedUntil[x] > now) return st.schedule(x, ips.suppressedUntil[x]);
  if (ips.cooldownUntil[x] > now) return st.schedule(x, ips.cooldownUntil[x]);
  const H = st.honeypotSeen(x, now);
  if (!H && ips.entries[x] < p.minVoters) return;
  // Votes only decay between evaluations, so S cannot exceed its last value plus the weight of
  // the votes added or refreshed since: skip hopeless rescoring of big, weak candidates.
  if (!H && !forced && ips.lastScored[x] > 0 && ips.lastS[x] + ips.gainS[x] < p.thetaAdd) return;
  const needH = st.isProtectedTarget(x, now);
  if (needH && !H) return;
  const n = scorer.collect(x, now, st.collusion.root);
  ips.lastScored[x] = now;
  ips.gainS[x] = 0;
  ips.lastS[x] = 0;
  if (n === 0) return;
  const all = copy(scorer.stats(false));
  ips.lastS[x] = all.S;
  if (H && all.S >= p.honeypotMinScore) return add(st, x, now, 'honeypot', all, false);
  if (needH || n < p.minVoters || !scorer.passesAdd(all)) return;
  noteCorroborated(st, x, n, now);
  // In a campaign the budget does not bind. For a surge seen only through member evidence, only
  // for IPs whose voters span more ASNs than the normal gate asks: a ring confined to a few ASNs
  // cannot ride an honest campaign's exemption.
  const memberSurge = st.inMemberCampaign(x, now);
  if (p.noveltyMode === 'off' || st.inHoneypotCampaign(x, now) || (all.dAs >= p.campaignMinAsnsPerIp && memberSurge)) {
    for (let i = 0; i < n; i++) scorer.exclude[i] = 0;
    return add(st, x, now, 'consensus', all, false);
  }
  if (all.dAs < p.campaignMinAsnsPerIp && holdFewAsns(st, x, n, now, memberSurge)) return;
  let excluded = 0;
  for (let i = 0; i < n; i++) {
    const ex = st.novelty.exhausted(scorer.voter[i], now) ? 1 : 0;
    scorer.exclude[i] = ex;
    excluded += ex;
  }
  const primed = excluded > 0 ? copy(scorer.stats(true)) : all;
  if (!scorer.passesAdd(primed)) {
    st.counters.noveltyBlocked++;
    st.noveltyBlocked.add(x);
    // Budgets free up on refunds and at midnight; look again later even without new votes.
    st.schedule(x, now + p.keepCheckMinMs);
    return;
  }
  add(st, x, now, 'consensus', primed, true);
}

/**
 * A new listing paid from the novelty budget, carried by fewer ASNs than the campaign floor
 * (campaignMinAsnsPerIp), whose voters include a *suspect pair* (two owners that already
 * co-reported at least `collusionSuspectCount` dark IPs nobody independent confirmed, but are not
 * linked yet) waits (docs/consensus.md §2, "Rings inside a campaign"):
 * - during a member-evidence surge of its family, until the surge is over: a ring whose sybils
 *   are also victims looks like co-victims for the first minutes and cannot spend its budgets
 *   under cover of the campaign;
 * - while its family is warming up (a burst of new corroborated IPs, before a surge is confirmed,
 *   or a ring's own burst), until `fewAsnSettleMs` after its first report, so that the collusion
 *   detector sees a ring that reports its list in a burst before any of it is listed.
 * Voters without such a history (honest owners that rarely co-report) are never held, in a
 * campaign or not, and in quiet times nothing waits.
 * Returns whether the candidate was held (it is rescored later; new votes rescore it at once).
 */
function holdFewAsns(st: EngineState, x: number, n: number, now: number, memberSurge: boolean): boolean {
  const { p, scorer } = st;
  if (!memberSurge && (p.fewAsnSettleMs <= 0 || scorer.minFirst + p.fewAsnSettleMs <= now)) return false;
  if (!memberSurge && !st.memberCampaigns.warming(st.familyBits(x), now)) return false;
  if (!hasSuspectPair(st, n, now)) return false;
  // Held candidates are rescored as soon as a surge starts (engine.tick), like budget-blocked ones.
  st.noveltyBlocked.add(x);
  if (memberSurge) {
    st.counters.campaignHeld++;
    st.schedule(x, now + p.keepCheckMinMs);
  } else {
    st.counters.settleHeld++;
    st.schedule(x, scorer.minFirst + p.fewAsnSettleMs);
  }
  return true;
}

/** Whether two of the `n` collected voters co-reported at least collusionSuspectCount dark IPs. */
function hasSuspectPair(st: EngineState, n: number, now: number): boolean {
  const { p, scorer, reporters, collusion } = st;
  if (p.collusionSuspectCount <= 0) return false;
  for (let i = 0; i < n; i++) {
    const a = reporters.owner[scorer.agent[i]];
    for (let j = i + 1; j < n; j++) {
      if (collusion.pairCount(a, reporters.owner[scorer.agent[j]], now) >= p.collusionSuspectCount) return true;
    }
  }
  return false;
}

const campaignVoters: number[] = [];
const campaignAsns: number[] = [];

/**
 * Member evidence for the campaign watch: a new IP (every vote within the campaign window, never
 * listed before) passing the add gates on its own, with its established voters. Counted once.
 */
function noteCorroborated(st: EngineState, x: number, n: number, now: number): void {
  const { ips, scorer, p, reporters } = st;
  if (p.campaignMinOwners <= 0 || ips.campaignCounted[x] === 1 || ips.lastListing[x] !== undefined) return;
  if (scorer.minFirst < now - p.campaignWindowMs) return;
  ips.campaignCounted[x] = 1;
  campaignVoters.length = 0;
  campaignAsns.length = 0;
  for (let i = 0; i < n; i++) {
    if (scorer.v[i] < p.establishedWeight) continue;
    campaignVoters.push(scorer.voter[i]);
    campaignAsns.push(reporters.asn[scorer.agent[i]]);
  }
  st.memberCampaigns.corroborated(st.familyBits(x), campaignVoters, campaignAsns, campaignVoters.length, now);
}

function add(st: EngineState, x: number, now: number, reason: ListingReason, s: ScoreStats, charge = false): void {
  const { ips, p, scorer } = st;
  const H = st.honeypotSeen(x, now);
  let lastQ = Math.max(ips.lastQualifying[x], scorer.maxLast);
  if (H && ips.hpLast[x] > lastQ) lastQ = ips.hpLast[x];
  ips.lastQualifying[x] = lastQ;
  const confirmed = H || s.E >= p.confirmedEstablished;
  const rec: ListingRecord = {
    ip: x,
    listedAt: now,
    reason,
    confirmed,
    expiresAt: lastQ + (confirmed ? p.ttlConfirmedMs : p.ttlUnconfirmedMs),
    S: s.S,
    dAs: s.dAs,
    E: s.E,
    firstSeen: scorer.minFirst,
    lastSeen: scorer.maxLast,
    voters: [],
    charged: [],
    chargedAt: now,
    chargeSettled: !charge,
    removedAt: null,
    removeReason: null,
  };
  mergeVoters(rec, scorer.countedAgents, scorer.countedN, p.explainMaxVoters);
  if (reason === 'consensus') {
    scorer.pivotalSlots(pivotScratch);
    const pivotal = new Set<number>();
    for (const slot of pivotScratch) pivotal.add(scorer.voter[slot]);
    creditConsensusListing(st, x, now, pivotal);
    if (charge) {
      for (let i = 0; i < scorer.n; i++) {
        if (scorer.exclude[i] === 1 || scorer.v[i] < p.voterMinWeight) continue;
        st.novelty.charge(scorer.voter[i], now);
        rec.charged.push(scorer.voter[i]);
      }
    }
  }
  ips.listing[x] = rec;
  ips.lastListing[x] = rec;
  ips.belowRuns[x] = 0;
  st.added.push(st.publicListing(rec));
  scheduleListed(st, x, rec, now, s.S + (H ? p.honeypotKeepBonus : 0));
}

function evaluateListed(st: EngineState, x: number, rec: ListingRecord, now: number): void {
  const { ips, p, scorer } = st;
  const n = scorer.collect(x, now, st.collusion.root);
  ips.lastScored[x] = now;
  const s = n > 0 ? copy(scorer.stats(false)) : { S: 0, dAs: 0, V: 0, E: 0 };
  const H = st.honeypotSeen(x, now);
  if (H || s.E >= p.confirmedEstablished) rec.confirmed = true;
  let lastQ = ips.lastQualifying[x];
  if (n > 0 && scorer.maxLast > lastQ) lastQ = scorer.maxLast;
  if (H && ips.hpLast[x] > lastQ) lastQ = ips.hpLast[x];
  ips.lastQualifying[x] = lastQ;
  rec.expiresAt = lastQ + (rec.confirmed ? p.ttlConfirmedMs : p.ttlUnconfirmedMs);
  rec.S = s.S;
  rec.dAs = s.dAs;
  rec.E = s.E;
  if (n > 0) {
    if (scorer.maxLast > rec.lastSeen) rec.lastSeen = scorer.maxLast;
    if (scorer.minFirst < rec.firstSeen) rec.firstSeen = scorer.minFirst;
    mergeVoters(rec, scorer.countedAgents, scorer.countedN, p.explainMaxVoters);
  }
  const keep = s.S + (H ? p.honeypotKeepBonus : 0);
  if (st.neverCategory(x) !== NO_CATEGORY) return remove(st, x, rec, now, 'never-list');
  if (now >= rec.expiresAt) return remove(st, x, rec, now, 'expired');
  if (keep < p.thetaKeep) {
    ips.belowRuns[x]++;
    if (ips.belowRuns[x] >= p.keepBelowRuns) return remove(st, x, rec, now, 'below-keep');
    return st.schedule(x, now + p.tickMs);
  }
  ips.belowRuns[x] = 0;
  if (!rec.chargeSettled && p.noveltyMode === 'corroboration') maybeRefund(st, rec, n, H, now);
  scheduleListed(st, x, rec, now, keep);
}

/**
 * The budget is meant to stop a voter from being pivotal behind many new listings. Once a
 * honeypot confirms the listing, the charges are refunded. Once the listing would pass the add
 * gates on the other voters alone, the charged voters were not pivotal after all: their charges
 * move to the smallest set of those other voters that passes (strongest first), so a listing
 * always holds about one quorum of charges and a ring cannot refund itself with late joiners.
 */
function maybeRefund(st: EngineState, rec: ListingRecord, n: number, H: boolean, now: number): void {
  const { scorer, novelty } = st;
  if (now - rec.chargedAt >= st.p.noveltyWindowMs || rec.charged.length === 0) {
    rec.chargeSettled = true;
    return;
  }
  if (H) {
    for (const voter of rec.charged) novelty.refund(voter, rec.chargedAt);
    st.counters.noveltyRefunds += rec.charged.length;
    rec.charged = [];
    rec.chargeSettled = true;
    return;
  }
  if (n === 0) return;
  const charged = new Set(rec.charged);
  for (let i = 0; i < n; i++) scorer.exclude[i] = charged.has(scorer.voter[i]) ? 1 : 0;
  const others = scorer.stats(true);
  if (!scorer.passesAdd(others)) return;
  if (st.p.noveltySettleAsns > 0 && others.dAs >= st.p.noveltySettleAsns && st.inCampaign(rec.ip, now)) {
    // In a campaign, corroborated in many ASNs besides the charged voters: nobody was pivotal,
    // nobody pays. This frees the victims within minutes; a ring confined to fewer ASNs never gets
    // here, and outside a campaign charges only move (below), as a ring's would.
    for (const voter of rec.charged) novelty.refund(voter, rec.chargedAt);
    st.counters.noveltyRefunds += rec.charged.length;
    rec.charged = [];
    rec.chargeSettled = true;
    return;
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (scorer.exclude[i] === 0 && scorer.v[i] >= st.p.voterMinWeight) order.push(i);
  order.sort((a, b) => scorer.v[b] - scorer.v[a] || scorer.voter[a] - scorer.voter[b]);
  for (let i = 0; i < n; i++) scorer.exclude[i] = 1;
  const next: number[] = [];
  for (const slot of order) {
    scorer.exclude[slot] = 0;
    next.push(scorer.voter[slot]);
    if (scorer.passesAdd(scorer.stats(true))) break;
  }
  for (const voter of rec.charged) novelty.refund(voter, rec.chargedAt);
  st.counters.noveltyRefunds += rec.charged.length;
  for (const voter of next) novelty.charge(voter, now);
  rec.charged = next;
  rec.chargedAt = now;
}

function scheduleListed(st: EngineState, x: number, rec: ListingRecord, now: number, keep: number): void {
  const p = st.p;
  const margin = keep / (1.1 * p.thetaKeep);
  let wait = margin > 1 ? p.voteHalfLifeMs * Math.log2(margin) : 0;
  if (wait < p.keepCheckMinMs) wait = p.keepCheckMinMs;
  if (wait > p.keepCheckMaxMs) wait = p.keepCheckMaxMs;
  let at = now + wait;
  const hpEnd = st.ips.hpLast[x] + p.honeypotWindowMs;
  if (hpEnd > now && hpEnd < at) at = hpEnd;
  if (rec.expiresAt < at) at = Math.max(rec.expiresAt, now + 1);
  st.schedule(x, at);
}

export function remove(st: EngineState, x: number, rec: ListingRecord, now: number, reason: RemovalReason): void {
  const ips = st.ips;
  rec.removedAt = now;
  rec.removeReason = reason;
  ips.listing[x] = undefined;
  ips.lastListedEnd[x] = now;
  ips.belowRuns[x] = 0;
  ips.cooldownUntil[x] = now + st.p.cooldownMs;
  st.removed.push(st.publicListing(rec));
  st.schedule(x, ips.cooldownUntil[x]);
}
