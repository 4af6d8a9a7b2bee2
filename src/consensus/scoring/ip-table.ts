import { growF64, growI32, growU8 } from './columns.js';
import type { ListingRecord } from './listing.js';

export const NEVER = -1e15;
export const UNKNOWN_CATEGORY = -2;
export const NO_CATEGORY = -1;

/** Per-target state as struct-of-arrays, indexed by a dense IP id. */
export class IpTable {
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();
  head = new Int32Array(0);
  entries = new Int32Array(0);
  net = new Int32Array(0);
  hpLast = new Float64Array(0);
  hpFamilies = new Int32Array(0);
  hpScanAt = new Float64Array(0);
  cooldownUntil = new Float64Array(0);
  suppressedUntil = new Float64Array(0);
  protectedUntil = new Float64Array(0);
  lastListedEnd = new Float64Array(0);
  lastQualifying = new Float64Array(0);
  lastScored = new Float64Array(0);
  /** S at the last full evaluation, and the most new or refreshed votes could have added since. */
  lastS = new Float64Array(0);
  gainS = new Float64Array(0);
  nextCheck = new Float64Array(0);
  belowRuns = new Uint8Array(0);
  dirty = new Uint8Array(0);
  collusionDirty = new Uint8Array(0);
  /** Counted once as member evidence of a campaign (member-campaign.ts). */
  campaignCounted = new Uint8Array(0);
  neverCategory = new Int32Array(0);
  canary = new Int8Array(0);
  matcherEpoch = new Int32Array(0);
  readonly listing: (ListingRecord | undefined)[] = [];
  readonly lastListing: (ListingRecord | undefined)[] = [];
  readonly classes: (number[] | undefined)[] = [];

  get size(): number {
    return this.keys.length;
  }

  find(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  intern(key: string, netIdx = -1): number {
    let x = this.ids.get(key);
    if (x !== undefined) {
      if (netIdx >= 0) this.net[x] = netIdx;
      return x;
    }
    x = this.keys.length;
    this.ids.set(key, x);
    this.keys.push(key);
    this.grow(x + 1);
    this.head[x] = -1;
    this.net[x] = netIdx;
    this.hpLast[x] = NEVER;
    this.hpScanAt[x] = NEVER;
    this.cooldownUntil[x] = NEVER;
    this.suppressedUntil[x] = NEVER;
    this.protectedUntil[x] = NEVER;
    this.lastListedEnd[x] = NEVER;
    this.lastQualifying[x] = NEVER;
    this.lastScored[x] = NEVER;
    this.nextCheck[x] = NEVER;
    this.neverCategory[x] = UNKNOWN_CATEGORY;
    this.canary[x] = -1;
    this.matcherEpoch[x] = -1;
    this.listing.push(undefined);
    this.lastListing.push(undefined);
    this.classes.push(undefined);
    return x;
  }

  private grow(n: number): void {
    this.head = growI32(this.head, n);
    this.entries = growI32(this.entries, n);
    this.net = growI32(this.net, n);
    this.hpLast = growF64(this.hpLast, n);
    this.hpFamilies = growI32(this.hpFamilies, n);
    this.hpScanAt = growF64(this.hpScanAt, n);
    this.cooldownUntil = growF64(this.cooldownUntil, n);
    this.suppressedUntil = growF64(this.suppressedUntil, n);
    this.protectedUntil = growF64(this.protectedUntil, n);
    this.lastListedEnd = growF64(this.lastListedEnd, n);
    this.lastQualifying = growF64(this.lastQualifying, n);
    this.lastScored = growF64(this.lastScored, n);
    this.lastS = growF64(this.lastS, n);
    this.gainS = growF64(this.gainS, n);
    this.nextCheck = growF64(this.nextCheck, n);
    this.belowRuns = growU8(this.belowRuns, n);
    this.dirty = growU8(this.dirty, n);
    this.collusionDirty = growU8(this.collusionDirty, n);
    this.campaignCounted = growU8(this.campaignCounted, n);
    this.neverCategory = growI32(this.neverCategory, n);
    if (this.canary.length < n) {
      const c = new Int8Array(this.head.length);
      c.set(this.canary);
      this.canary = c;
    }
    this.matcherEpoch = growI32(this.matcherEpoch, n);
  }

  addClass(x: number, cls: number): void {
    const list = this.classes[x];
    if (list === undefined) this.classes[x] = [cls];
    else if (!list.includes(cls)) list.push(cls);
  }
}
