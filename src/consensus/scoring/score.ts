import { growF64, growI32, growU8 } from './columns.js';
import type { IpTable } from './ip-table.js';
import type { ConsensusParams } from './params.js';
import type { ReporterTable } from './reporters.js';
import { F_WITHDRAWN, type VoteStore } from './votes.js';

export interface ScoreStats {
  S: number;
  dAs: number;
  V: number;
  E: number;
}

/**
 * Per-IP score of §3.4. `collect` gathers one vote per voter (owner or collusion cluster) with
 * its decayed weight; `stats` applies the per-/24 merge and the per-ASN diminishing sum, with
 * optional exclusion of voters. All scratch memory is reused; nothing is allocated per call.
 */
export class Scorer {
  n = 0;
  voter = new Int32Array(64);
  v = new Float64Array(64);
  agent = new Int32Array(64);
  exclude = new Uint8Array(64);
  /** Reporters with a counted vote (v > 0), for explanations. */
  countedAgents = new Int32Array(64);
  countedN = 0;
  minFirst = 0;
  maxLast = 0;
  readonly out: ScoreStats = { S: 0, dAs: 0, V: 0, E: 0 };

  private gen = 0;
  private voterStamp = new Int32Array(0);
  private voterSlot = new Int32Array(0);
  private netStamp = new Int32Array(0);
  private netBest = new Float64Array(0);
  private netAsn = new Int32Array(0);
  private netList = new Int32Array(64);
  private asnStamp = new Int32Array(0);
  private asnTop = new Float64Array(0);
  private asnList = new Int32Array(64);
  private readonly k: number;
  private readonly rank: Float64Array;
  private readonly ln2OverHalfLife: number;

  constructor(
    private readonly p: ConsensusParams,
    private readonly reporters: ReporterTable,
    private readonly votes: VoteStore,
    private readonly ips: IpTable,
  ) {
    this.k = p.asnRankWeights.length;
    this.rank = Float64Array.from(p.asnRankWeights);
    this.ln2OverHalfLife = Math.LN2 / p.voteHalfLifeMs;
  }

  /** Gathers the voters of `x` at `now`; `rootOf` maps an owner id to its voter id. */
  collect(x: number, now: number, rootOf: Int32Array): number {
    const rep = this.reporters;
    const votes = this.votes;
    this.ensureScratch();
    const gen = ++this.gen;
    const maxAge = this.p.voteMaxAgeMs;
    let n = 0;
    let counted = 0;
    let minFirst = Infinity;
    let maxLast = -Infinity;
    for (let e = this.ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
      if ((votes.flags[e] & F_WITHDRAWN) !== 0) continue;
      const age = now - votes.last[e];
      if (age > maxAge) continue;
      const r = votes.agent[e];
      const w = rep.weight(r, now);
      if (w <= 0) continue;
      const v = age <= 0 ? w : w * Math.exp(-age * this.ln2OverHalfLife);
      if (counted === this.countedAgents.length) this.countedAgents = growI32(this.countedAgents, counted + 1);
      this.countedAgents[counted++] = r;
      if (votes.first[e] < minFirst) minFirst = votes.first[e];
      if (votes.last[e] > maxLast) maxLast = votes.last[e];
      const voter = rootOf[rep.owner[r]];
      if (this.voterStamp[voter] !== gen) {
        this.voterStamp[voter] = gen;
        if (n === this.voter.length) this.growSlots(n + 1);
        this.voterSlot[voter] = n;
        this.voter[n] = voter;
        this.v[n] = v;
        this.agent[n] = r;
        this.exclude[n] = 0;
        n++;
      } else {
        const slot = this.voterSlot[voter];
        if (v > this.v[slot] || (v === this.v[slot] && rep.ids.names[r] < rep.ids.names[this.agent[slot]])) {
          this.v[slot] = v;
          this.agent[slot] = r;
        }
      }
    }
    this.n = n;
    this.countedN = counted;
    this.minFirst = minFirst;
    this.maxLast = maxLast;
    return n;
  }

  /** S, D_AS, V, E over the collected voters, skipping those flagged in `exclude` when asked. */
  stats(useExclude: boolean): ScoreStats {
    const rep = this.reporters;
    const p = this.p;
    const gen = ++this.gen;
    let nets = 0;
    let V = 0;
    let E = 0;
    for (let i = 0; i < this.n; i++) {
      if (useExclude && this.exclude[i] === 1) continue;
      const v = this.v[i];
      if (v >= p.voterMinWeight) V++;
      if (v >= p.establishedWeight) E++;
      const r = this.agent[i];
      const net = rep.net[r];
      if (this.netStamp[net] !== gen) {
        this.netStamp[net] = gen;
        this.netBest[net] = v;
        this.netAsn[net] = rep.asn[r];
        if (nets === this.netList.length) this.netList = growI32(this.netList, nets + 1);
        this.netList[nets++] = net;
      } else if (v > this.netBest[net]) {
        this.netBest[net] = v;
      }
    }
    const k = this.k;
    let asns = 0;
    for (let j = 0; j < nets; j++) {
      const net = this.netList[j];
      const a = this.netAsn[net];
      const base = a * k;
      if (this.asnStamp[a] !== gen) {
        this.asnStamp[a] = gen;
        for (let q = 0; q < k; q++) this.asnTop[base + q] = 0;
        if (asns === this.asnList.length) this.asnList = growI32(this.asnList, asns + 1);
        this.asnList[asns++] = a;
      }
      let val = this.netBest[net];
      for (let q = 0; q < k; q++) {
        const cur = this.asnTop[base + q];
        if (val > cur) {
          this.asnTop[base + q] = val;
          val = cur;
        }
      }
    }
    let S = 0;
    let dAs = 0;
    for (let j = 0; j < asns; j++) {
      const base = this.asnList[j] * k;
      let c = 0;
      for (let q = 0; q < k; q++) c += this.rank[q] * this.asnTop[base + q];
      if (c > p.asnCap) c = p.asnCap;
      S += c;
      if (c >= p.asnMinContribution) dAs++;
    }
    const out = this.out;
    out.S = S;
    out.dAs = dAs;
    out.V = V;
    out.E = E;
    return out;
  }

  passesAdd(s: ScoreStats): boolean {
    const p = this.p;
    return s.S >= p.thetaAdd && s.dAs >= p.minAsns && s.V >= p.minVoters && s.E >= p.minEstablished;
  }

  /**
   * Voters (slots) whose single removal makes the add gates fail, given the current exclusions.
   * Writes their slots into `out` and returns the count.
   */
  pivotalSlots(out: number[]): number {
    out.length = 0;
    const base = this.stats(true);
    const S = base.S;
    const dAs = base.dAs;
    const V = base.V;
    const E = base.E;
    const p = this.p;
    for (let i = 0; i < this.n; i++) {
      if (this.exclude[i] === 1) continue;
      const v = this.v[i];
      const safe =
        S - v >= p.thetaAdd &&
        dAs - 1 >= p.minAsns &&
        (v < p.voterMinWeight || V - 1 >= p.minVoters) &&
        (v < p.establishedWeight || E - 1 >= p.minEstablished);
      if (safe) continue;
      this.exclude[i] = 1;
      const without = this.stats(true);
      this.exclude[i] = 0;
      if (!this.passesAdd(without)) out.push(i);
    }
    return out.length;
  }

  private ensureScratch(): void {
    const owners = this.reporters.owners.size;
    if (this.voterStamp.length < owners) {
      this.voterStamp = growI32(this.voterStamp, owners);
      this.voterSlot = growI32(this.voterSlot, owners);
    }
    const nets = this.reporters.nets.size;
    if (this.netStamp.length < nets) {
      this.netStamp = growI32(this.netStamp, nets);
      this.netBest = growF64(this.netBest, nets);
      this.netAsn = growI32(this.netAsn, nets);
    }
    const asns = this.reporters.asns.size;
    if (this.asnStamp.length < asns) {
      this.asnStamp = growI32(this.asnStamp, asns);
      this.asnTop = growF64(this.asnTop, this.asnStamp.length * this.k);
    }
  }

  private growSlots(n: number): void {
    this.voter = growI32(this.voter, n);
    this.v = growF64(this.v, n);
    this.agent = growI32(this.agent, n);
    this.exclude = growU8(this.exclude, n);
  }
}
