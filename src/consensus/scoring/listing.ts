import type { Listing, ListingReason, RemovalReason } from './types.js';

/** Internal, mutable listing state; `toListing` turns it into the public record. */
export interface ListingRecord {
  ip: number;
  listedAt: number;
  reason: ListingReason;
  confirmed: boolean;
  expiresAt: number;
  S: number;
  dAs: number;
  E: number;
  firstSeen: number;
  lastSeen: number;
  /** Reporter ids whose votes counted (at listing time and on later rescoring). */
  voters: number[];
  /** Voter ids (owners or collusion clusters) charged to the novelty budget at `chargedAt`. */
  charged: number[];
  chargedAt: number;
  /** The charges can no longer be refunded (refunded, or the budget window passed). */
  chargeSettled: boolean;
  removedAt: number | null;
  removeReason: RemovalReason | null;
}

export interface ListingNames {
  ipKey(ip: number): string;
  classNames(ip: number): string[];
  pseudonym(agent: number): string;
  maxVoters: number;
}

export function toListing(rec: ListingRecord, names: ListingNames): Listing {
  const pseudonyms = rec.voters.map((a) => names.pseudonym(a));
  pseudonyms.sort();
  return {
    ipKey: names.ipKey(rec.ip),
    listedAt: rec.listedAt,
    expiresAt: rec.expiresAt,
    reason: rec.reason,
    confirmed: rec.confirmed,
    removedAt: rec.removedAt,
    removeReason: rec.removeReason,
    explanation: {
      reason: rec.reason,
      S: round(rec.S),
      D_AS: rec.dAs,
      E: rec.E,
      scenarioClasses: names.classNames(rec.ip),
      firstSeen: rec.firstSeen,
      lastSeen: rec.lastSeen,
      voterPseudonyms: pseudonyms.slice(0, names.maxVoters),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Adds `agents` to the sorted-unique voter list of a listing. */
export function mergeVoters(rec: ListingRecord, agents: ArrayLike<number>, n: number, cap: number): void {
  if (rec.voters.length >= cap) return;
  let fresh = false;
  for (let i = 0; i < n && !fresh; i++) fresh = !sortedHas(rec.voters, agents[i]);
  if (!fresh) return;
  const set = new Set(rec.voters);
  for (let i = 0; i < n && set.size < cap; i++) set.add(agents[i]);
  if (set.size !== rec.voters.length) rec.voters = [...set].sort((a, b) => a - b);
}

function sortedHas(list: number[], v: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === v) return true;
    if (list[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
