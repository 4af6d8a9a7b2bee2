import { NEVER } from './ip-table.js';
import type { ListingRecord } from './listing.js';
import type { IpSnapshot, ListingSnapshot, ReporterSnapshot } from './snapshot-types.js';
import type { EngineState } from './state.js';

const toJson = (t: number): number | null => (t === NEVER || t === -1 ? null : t);
const fromJson = (t: number | null): number => (t === null ? NEVER : t);

export function snapshotReporter(st: EngineState, r: number): ReporterSnapshot {
  const rep = st.reporters;
  return {
    id: rep.ids.names[r],
    ownerId: rep.owners.names[rep.owner[r]],
    asn: rep.asnNumbers[rep.baseAsn[r]],
    net: rep.nets.names[rep.baseNet[r]],
    country: rep.countries.names[rep.country[r]],
    enrolledAt: rep.enrolledAt[r],
    kind: rep.honeypot[r] === 1 ? 'honeypot' : rep.internal[r] === 1 ? 'internal' : 'community',
    alpha: rep.alpha[r],
    beta: rep.beta[r],
    quarantinedAt: rep.isQuarantined(r) ? rep.quarantinedAt[r] : null,
    fpUpheld: [...(rep.fpUpheld[r] ?? [])],
    contradicted: [...(rep.contradicted[r] ?? [])],
    positive: [rep.posDay[r], rep.posCount[r]],
    unconfirmed: [rep.negDay[r], rep.negCount[r]],
    distinct: [rep.capDay[r], rep.capCount[r]],
  };
}

export function restoreReporter(st: EngineState, s: ReporterSnapshot): number {
  const rep = st.reporters;
  const r = rep.upsert({ id: s.id, ownerId: s.ownerId, asn: s.asn, net: s.net, country: s.country, enrolledAt: s.enrolledAt, kind: s.kind });
  rep.alpha[r] = s.alpha;
  rep.beta[r] = s.beta;
  rep.refreshTrust(r);
  rep.quarantinedAt[r] = s.quarantinedAt ?? -1;
  rep.fpUpheld[r] = s.fpUpheld.length > 0 ? [...s.fpUpheld] : undefined;
  rep.contradicted[r] = s.contradicted !== undefined && s.contradicted.length > 0 ? [...s.contradicted] : undefined;
  [rep.posDay[r], rep.posCount[r]] = s.positive;
  [rep.negDay[r], rep.negCount[r]] = s.unconfirmed;
  [rep.capDay[r], rep.capCount[r]] = s.distinct;
  st.collusion.ensureOwners(rep.owners.size);
  return r;
}

function familyNames(st: EngineState, bits: number): string[] {
  return st.families.names.filter((_, f) => (bits & (1 << (f & 31))) !== 0);
}

function familyBitsOf(st: EngineState, names: string[]): number {
  let bits = 0;
  for (const n of names) bits |= 1 << (st.families.intern(n) & 31);
  return bits;
}

function snapshotListing(st: EngineState, rec: ListingRecord | undefined): ListingSnapshot | null {
  if (rec === undefined) return null;
  return {
    listedAt: rec.listedAt,
    reason: rec.reason,
    confirmed: rec.confirmed,
    expiresAt: rec.expiresAt,
    S: rec.S,
    dAs: rec.dAs,
    E: rec.E,
    firstSeen: rec.firstSeen,
    lastSeen: rec.lastSeen,
    voters: rec.voters.map((a) => st.reporters.ids.names[a]),
    charged: rec.charged.map((o) => st.reporters.owners.names[o]),
    chargedAt: rec.chargedAt,
    chargeSettled: rec.chargeSettled,
    removedAt: rec.removedAt,
    removeReason: rec.removeReason,
  };
}

function restoreListing(st: EngineState, x: number, s: ListingSnapshot | null): ListingRecord | undefined {
  if (s === null) return undefined;
  const rep = st.reporters;
  const known = (id: number): boolean => id >= 0;
  return {
    ip: x,
    listedAt: s.listedAt,
    reason: s.reason,
    confirmed: s.confirmed,
    expiresAt: s.expiresAt,
    S: s.S,
    dAs: s.dAs,
    E: s.E,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    voters: s.voters.map((id) => rep.find(id)).filter(known),
    charged: s.charged.map((id) => rep.owners.intern(id)),
    chargedAt: s.chargedAt,
    chargeSettled: s.chargeSettled,
    removedAt: s.removedAt,
    removeReason: s.removeReason,
  };
}

export function snapshotIp(st: EngineState, x: number): IpSnapshot {
  const { ips, votes, reporters } = st;
  const out: IpSnapshot['votes'] = [];
  for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
    out.push({ reporter: reporters.ids.names[votes.agent[e]], first: votes.first[e], last: votes.last[e], families: familyNames(st, votes.families[e]), flags: votes.flags[e] });
  }
  const last = ips.listing[x];
  const prev = ips.lastListing[x];
  const co = st.coVoters.get(x);
  return {
    ipKey: ips.keys[x],
    net: ips.net[x] >= 0 ? reporters.nets.names[ips.net[x]] : null,
    votes: out,
    classes: (ips.classes[x] ?? []).map((c) => st.classes.names[c]),
    honeypot: ips.hpLast[x] === NEVER ? null : { last: ips.hpLast[x], families: familyNames(st, ips.hpFamilies[x]), scanAt: toJson(ips.hpScanAt[x]) },
    listing: snapshotListing(st, last),
    lastListing: prev === last ? null : snapshotListing(st, prev),
    cooldownUntil: toJson(ips.cooldownUntil[x]),
    suppressedUntil: toJson(ips.suppressedUntil[x]),
    protectedUntil: toJson(ips.protectedUntil[x]),
    lastListedEnd: toJson(ips.lastListedEnd[x]),
    lastQualifying: toJson(ips.lastQualifying[x]),
    lastScored: toJson(ips.lastScored[x]),
    nextCheck: toJson(ips.nextCheck[x]),
    belowRuns: ips.belowRuns[x],
    lastS: ips.lastS[x],
    gainS: ips.gainS[x],
    coVoters: co === undefined ? null : [...co].map((o) => reporters.owners.names[o]),
  };
}

/** Loads one IP's state (its reporters must be known), replacing what the engine held for it. */
export function restoreIp(st: EngineState, s: IpSnapshot): number {
  const { ips, votes, reporters } = st;
  const x = ips.intern(s.ipKey, s.net === null ? -1 : reporters.nets.find(s.net));
  if (ips.head[x] !== -1) throw new Error(`restoreIp: ${s.ipKey} already has state`);
  for (let i = s.votes.length - 1; i >= 0; i--) {
    const v = s.votes[i];
    const r = reporters.find(v.reporter);
    if (r < 0) throw new Error(`restoreIp: unknown reporter ${v.reporter}`);
    const e = votes.create(x, r, v.first, familyBitsOf(st, v.families), v.flags, ips.head, reporters.entryHead);
    votes.last[e] = v.last;
    ips.entries[x]++;
  }
  ips.classes[x] = s.classes.length > 0 ? s.classes.map((c) => st.classIndex(c)) : undefined;
  if (s.honeypot !== null) {
    ips.hpLast[x] = s.honeypot.last;
    ips.hpFamilies[x] = familyBitsOf(st, s.honeypot.families);
    ips.hpScanAt[x] = fromJson(s.honeypot.scanAt);
  }
  const listing = restoreListing(st, x, s.listing);
  ips.listing[x] = listing;
  ips.lastListing[x] = restoreListing(st, x, s.lastListing) ?? listing;
  ips.cooldownUntil[x] = fromJson(s.cooldownUntil);
  ips.suppressedUntil[x] = fromJson(s.suppressedUntil);
  ips.protectedUntil[x] = fromJson(s.protectedUntil);
  ips.lastListedEnd[x] = fromJson(s.lastListedEnd);
  ips.lastQualifying[x] = fromJson(s.lastQualifying);
  ips.lastScored[x] = fromJson(s.lastScored);
  ips.belowRuns[x] = s.belowRuns;
  ips.lastS[x] = s.lastS;
  ips.gainS[x] = s.gainS;
  if (s.nextCheck !== null) st.schedule(x, s.nextCheck);
  if (s.coVoters !== null) st.coVoters.set(x, new Set(s.coVoters.map((o) => reporters.owners.intern(o))));
  return x;
}
