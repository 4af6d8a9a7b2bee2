import { growF64, growI32 } from './columns.js';
import { PairTable } from './pair-table.js';
import type { ConsensusParams } from './params.js';

const DAY = 86_400_000;

/**
 * Collusion detector (§3.6): exact decayed pair counts of owners that co-report honeypot-dark
 * IPs, linked at a threshold and merged with a live union-find. Pairs already inside one
 * component are not counted again (the component's activity time is refreshed instead), only
 * spanning links are stored, and a component dissolves after a window without co-reporting.
 * A ring of thousands of sybils sharing a target list thus costs O(members) per IP once merged,
 * with no sampling.
 */
export class CollusionDetector {
  /** Voter id of each owner as scoring sees it: itself, or its component's root (flattened). */
  root = new Int32Array(0);
  private parent = new Int32Array(0);
  private readonly pairs = new PairTable();
  private ownerDark = new Float64Array(0);
  private ownerDarkAt = new Float64Array(0);
  /** Spanning links [a, b], in the order they formed. */
  private edges: [number, number][] = [];
  /** Last co-reporting time per live component root. */
  private readonly activity = new Map<number, number>();
  /** Owners whose voter id differs from themselves (as published in `root`). */
  private merged = new Set<number>();
  private readonly ln: number;
  links = 0;
  /** A new link appeared since the last rebuild. */
  pendingLinks = false;

  constructor(private readonly p: ConsensusParams) {
    this.ln = Math.log(p.collusionDecayPerDay);
  }

  ensureOwners(n: number): void {
    if (this.root.length >= n) return;
    const old = this.root.length;
    this.root = growI32(this.root, n);
    this.parent = growI32(this.parent, n);
    for (let o = old; o < this.root.length; o++) {
      this.root[o] = o;
      this.parent[o] = o;
    }
  }

  private find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private decay(value: number, dt: number): number {
    return dt <= 0 ? value : value * Math.exp((this.ln * dt) / DAY);
  }

  /** Counts one more dark IP reported by owner `o` (decayed like the pair counts). */
  addOwnerDark(o: number, now: number): void {
    if (o >= this.ownerDark.length) {
      this.ownerDark = growF64(this.ownerDark, o + 1);
      this.ownerDarkAt = growF64(this.ownerDarkAt, o + 1);
    }
    this.ownerDark[o] = this.ownerDarkAt[o] === 0 ? 1 : this.decay(this.ownerDark[o], now - this.ownerDarkAt[o]) + 1;
    this.ownerDarkAt[o] = now;
  }

  private darkOf(o: number, now: number): number {
    if (o >= this.ownerDark.length || this.ownerDarkAt[o] === 0) return 0;
    return this.decay(this.ownerDark[o], now - this.ownerDarkAt[o]);
  }

  /**
   * Link rule: at least the threshold of shared dark IPs, and a large share of what the two
   * report, measured as the cosine |A∩B| / sqrt(|A|·|B|) of their co-reported dark IPs. A ring
   * copying one list is near 1; two honest heavy reporters share many IPs in absolute terms but a
   * small share; co-victims of a campaign overlap by about (bots per victim / victims) times the
   * detection rate, and only on bots not yet listed; a small honest owner next to a huge one (a
   * one-owner ring of hundreds of agents) shares most of its own IPs but a tiny cosine. A large
   * absolute count lowers the share needed to `collusionStrongShare`.
   */
  private linkable(count: number, a: number, b: number, now: number): boolean {
    const p = this.p;
    if (count < p.collusionLinkThreshold) return false;
    const norm = Math.sqrt(this.darkOf(a, now) * this.darkOf(b, now));
    if (count >= p.collusionStrongThreshold && count >= p.collusionStrongShare * norm) return true;
    return count >= p.collusionMinShare * norm;
  }

  /** The decayed count of dark IPs owners `a` and `b` co-reported (0 when never paired). */
  pairCount(a: number, b: number, now: number): number {
    if (a === b) return 0;
    const slot = this.pairs.find(a, b);
    return slot < 0 ? 0 : this.decay(this.pairs.count[slot], now - this.pairs.at[slot]);
  }

  /**
   * Takes back one shared dark IP from every pair of `owners` and from each owner's dark count: an IP
   * counted at once, before its settle instant showed it independent (maintenance.ts). Links already
   * made stay.
   */
  removeShared(owners: readonly number[], now: number): void {
    for (const o of owners) {
      if (o >= this.ownerDark.length || this.ownerDarkAt[o] === 0) continue;
      this.ownerDark[o] = Math.max(0, this.darkOf(o, now) - 1);
      this.ownerDarkAt[o] = now;
    }
    for (let i = 0; i < owners.length; i++) {
      for (let j = i + 1; j < owners.length; j++) {
        const slot = this.pairs.find(owners[i], owners[j]);
        if (slot < 0) continue;
        this.pairs.count[slot] = Math.max(0, this.decay(this.pairs.count[slot], now - this.pairs.at[slot]) - 1);
        this.pairs.at[slot] = now;
      }
    }
  }

  /** Adds one shared dark IP to the pair (a, b). */
  addPair(a: number, b: number, now: number): void {
    if (a === b) return;
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) {
      this.activity.set(ra, now);
      return;
    }
    const pairs = this.pairs;
    const slot = pairs.upsert(a, b);
    const count = pairs.at[slot] === 0 ? 1 : this.decay(pairs.count[slot], now - pairs.at[slot]) + 1;
    pairs.count[slot] = count;
    pairs.at[slot] = now;
    if (!this.linkable(count, a, b, now)) return;
    const root = Math.min(ra, rb);
    this.parent[Math.max(ra, rb)] = root;
    this.edges.push([a, b]);
    this.activity.set(root, now);
    this.activity.delete(Math.max(ra, rb));
    this.pendingLinks = true;
  }

  /**
   * Dissolves components without co-reporting for the window, then publishes the live
   * components to `root`. Returns the owners whose voter id changed.
   */
  rebuild(now: number): number[] {
    this.pendingLinks = false;
    const stale = new Set<number>();
    for (const [r, t] of this.activity) if (t < now - this.p.collusionWindowMs) stale.add(r);
    if (stale.size > 0) {
      const kept = this.edges.filter(([a]) => !stale.has(this.find(a)));
      const involved = new Set<number>();
      for (const [a, b] of this.edges) involved.add(a).add(b);
      const activity = new Map<number, number>();
      for (const o of involved) {
        const t = this.activity.get(this.find(o));
        if (t !== undefined && !stale.has(this.find(o))) activity.set(o, t);
      }
      for (const o of involved) this.parent[o] = o;
      this.edges = [];
      this.activity.clear();
      for (const [a, b] of kept) {
        const ra = this.find(a);
        const rb = this.find(b);
        if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
        this.edges.push([a, b]);
      }
      for (const [o, t] of activity) {
        const r = this.find(o);
        if (t > (this.activity.get(r) ?? -Infinity)) this.activity.set(r, t);
      }
    }
    const candidates = new Set<number>(this.merged);
    for (const [a, b] of this.edges) candidates.add(a).add(b);
    const changed: number[] = [];
    const merged = new Set<number>();
    for (const o of candidates) {
      const r = this.find(o);
      if (this.root[o] !== r) changed.push(o);
      this.root[o] = r;
      if (r !== o) merged.add(o);
      else if (this.edges.length > 0) merged.add(o);
    }
    this.merged = merged;
    this.links = this.edges.length;
    return changed.sort((x, y) => x - y);
  }

  /** Drops pairs whose decayed count fell below `floor`. */
  prune(now: number, floor = 0.5): void {
    this.pairs.filter((count, at) => this.decay(count, now - at) >= floor);
  }

  /** Plain snapshot: pairs [a, b, count, at], spanning links, component activity, dark counts. */
  exportState(): CollusionState {
    const pairs: [number, number, number, number][] = [];
    this.pairs.forEach((a, b, count, at) => pairs.push([a, b, count, at]));
    const dark: [number, number, number][] = [];
    for (let o = 0; o < this.ownerDark.length; o++) if (this.ownerDarkAt[o] !== 0) dark.push([o, this.ownerDark[o], this.ownerDarkAt[o]]);
    return { pairs, edges: this.edges.map(([a, b]) => [a, b]), activity: [...this.activity].map(([r, t]) => [r, t]), dark };
  }

  importState(data: CollusionState): void {
    for (const [a, b, count, at] of data.pairs) {
      const slot = this.pairs.upsert(a, b);
      this.pairs.count[slot] = count;
      this.pairs.at[slot] = at;
    }
    for (const [o, v, at] of data.dark) {
      this.ownerDark = growF64(this.ownerDark, o + 1);
      this.ownerDarkAt = growF64(this.ownerDarkAt, o + 1);
      this.ownerDark[o] = v;
      this.ownerDarkAt[o] = at;
    }
    for (const [a, b] of data.edges) {
      const ra = this.find(a);
      const rb = this.find(b);
      if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
      this.edges.push([a, b]);
    }
    for (const [o, t] of data.activity) this.activity.set(this.find(o), t);
    this.rebuild(-Infinity);
  }
}

export interface CollusionState {
  pairs: [number, number, number, number][];
  edges: [number, number][];
  activity: [number, number][];
  dark: [number, number, number][];
}
