import { creditEntry, honeypotSighting, quarantine } from './evidence.js';
import { NO_CATEGORY } from './ip-table.js';
import type { EngineState } from './state.js';
import { F_PRE } from './votes.js';

export const SIG_WEIGHT0 = 1;
export const SIG_PUBLIC_FEED = 2;

/**
 * Records one signal (reporter r about target x). Order of checks follows §3.1: the dark canary
 * comes first, before quarantine, weight-0 flags and the per-agent rate cap.
 */
export function ingestSignal(st: EngineState, r: number, x: number, cls: number, at: number, flags: number): void {
  const { reporters, ips, votes, p } = st;
  st.counters.signals++;
  const familyBit = st.classFamilyBit[cls];
  if (reporters.honeypot[r] === 1) {
    ips.addClass(x, cls);
    honeypotSighting(st, x, familyBit, at);
    return;
  }
  if (st.isCanary(x)) {
    st.counters.canaryHits++;
    if (!reporters.isQuarantined(r)) {
      reporters.addNegative(r, p.negCanary);
      quarantine(st, r, at, 'canary');
    }
    return;
  }
  if (reporters.isQuarantined(r)) {
    st.counters.ignoredQuarantined++;
    return;
  }
  if ((flags & SIG_WEIGHT0) !== 0) {
    st.counters.ignoredWeight0++;
    return;
  }
  if (ips.net[x] >= 0 && ips.net[x] === reporters.net[r]) {
    st.counters.ignoredOwnNetwork++;
    return;
  }
  const cat = st.neverCategory(x);
  if (cat !== NO_CATEGORY) {
    st.counters.ignoredNeverList++;
    if (st.isPenalisedCategory(cat)) reporters.addNegative(r, p.negAllowlistHit);
    return;
  }
  const listed = ips.listing[x] !== undefined;
  let e = votes.find(x, r);
  if (e === -1) {
    if (!reporters.takeDistinct(r, st.dayOf(at))) {
      st.counters.ignoredRateCap++;
      return;
    }
    const pre = !listed && (flags & SIG_PUBLIC_FEED) === 0;
    e = votes.create(x, r, at, familyBit, pre ? F_PRE : 0, ips.head, reporters.entryHead);
    ips.entries[x]++;
    if (pre && ips.hpLast[x] >= at - p.positiveHoneypotWindowMs && (ips.hpFamilies[x] & familyBit) !== 0) {
      creditEntry(st, e, at);
    }
    st.markCollusion(x);
  } else {
    if (at > votes.last[e]) votes.last[e] = at;
    if (at < votes.first[e]) votes.first[e] = at;
    votes.families[e] |= familyBit;
  }
  ips.addClass(x, cls);
  const w = reporters.weight(r, at);
  if (listed) {
    if (w > 0 && at > ips.lastQualifying[x]) ips.lastQualifying[x] = at;
  } else {
    ips.gainS[x] += w;
  }
  st.markDirty(x);
}
