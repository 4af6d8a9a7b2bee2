import { growF64, growI32, growU8, Interner } from './columns.js';
import type { ConsensusParams } from './params.js';
import { ageGate, forget, trustLowerBound } from './trust.js';
import type { ReporterInfo } from './types.js';

const NONE = -1;

/**
 * Reporters (agents) and their Beta trust, as struct-of-arrays indexed by a dense id.
 * Owners, ASNs, networks and countries are interned to dense ids too, so scoring can use
 * typed scratch arrays instead of maps.
 */
export class ReporterTable {
  readonly ids = new Interner();
  readonly owners = new Interner();
  readonly asns = new Interner();
  readonly nets = new Interner();
  readonly countries = new Interner();
  /** Agents of each owner (dense ids), for collusion rescoring. */
  readonly ownerAgents: number[][] = [];

  owner = new Int32Array(0);
  asn = new Int32Array(0);
  net = new Int32Array(0);
  country = new Int32Array(0);
  honeypot = new Uint8Array(0);
  /** Vouched (internal) reporter: see `ReporterKind`. */
  internal = new Uint8Array(0);
  /** The registered ASN and network; `asn` / `net` hold what scoring groups by. */
  baseAsn = new Int32Array(0);
  baseNet = new Int32Array(0);
  /** Owners vouched for as internal (set by the operator, docs/consensus.md). */
  private readonly internalOwners = new Set<number>();
  enrolledAt = new Float64Array(0);
  alpha = new Float64Array(0);
  beta = new Float64Array(0);
  trust = new Float64Array(0);
  quarantinedAt = new Float64Array(0);
  /** Per-day counters: positive evidence, unconfirmed negative evidence, new distinct IPs. */
  posDay = new Int32Array(0);
  posCount = new Float64Array(0);
  negDay = new Int32Array(0);
  negCount = new Float64Array(0);
  capDay = new Int32Array(0);
  capCount = new Int32Array(0);
  /** Head of the agent's vote-entry list (see VoteStore). */
  entryHead = new Int32Array(0);
  readonly fpUpheld: (number[] | undefined)[] = [];
  /** Times of contradicted claims (evidence.ts), kept for quarantineFpWindowMs. */
  readonly contradicted: (number[] | undefined)[] = [];
  /** Raw ASN numbers by interned ASN id. */
  readonly asnNumbers: number[] = [];

  constructor(private readonly p: ConsensusParams) {}

  get size(): number {
    return this.ids.size;
  }

  find(id: string): number {
    return this.ids.find(id);
  }

  /** Registers a reporter, or updates its metadata (trust evidence is kept). */
  upsert(info: ReporterInfo): number {
    const existing = this.ids.find(info.id);
    const r = existing >= 0 ? existing : this.ids.intern(info.id);
    if (existing < 0) this.grow(r + 1);
    const o = this.owners.intern(info.ownerId);
    while (this.ownerAgents.length <= o) this.ownerAgents.push([]);
    if (existing < 0 || this.owner[r] !== o) {
      if (existing >= 0) this.removeFromOwner(r);
      this.ownerAgents[o].push(r);
    }
    this.owner[r] = o;
    const asnKey = String(info.asn);
    const a = this.asns.intern(asnKey);
    this.asnNumbers[a] = info.asn;
    this.baseAsn[r] = a;
    this.baseNet[r] = this.nets.intern(info.net);
    this.country[r] = this.countries.intern(info.country);
    this.honeypot[r] = info.kind === 'honeypot' ? 1 : 0;
    if (info.kind === 'internal') this.internalOwners.add(o);
    this.enrolledAt[r] = info.enrolledAt;
    if (existing < 0) {
      this.alpha[r] = info.alpha ?? this.p.priorAlpha;
      this.beta[r] = info.beta ?? this.p.priorBeta;
      this.quarantinedAt[r] = NONE;
      this.entryHead[r] = NONE;
      this.posDay[r] = NONE;
      this.negDay[r] = NONE;
      this.capDay[r] = NONE;
    }
    this.applyKind(r);
    return r;
  }

  /**
   * Internal reporters group by owner instead of by network (a vouched organisation is its own
   * "network" for the diversity gates, wherever its agents run) and carry the internal prior.
   */
  private applyKind(r: number): void {
    const o = this.owner[r];
    const internal = this.honeypot[r] === 0 && this.internalOwners.has(o);
    this.internal[r] = internal ? 1 : 0;
    if (internal) {
      const key = `internal:${this.owners.names[o]}`;
      const a = this.asns.intern(key);
      this.asnNumbers[a] ??= 0;
      this.asn[r] = a;
      this.net[r] = this.nets.intern(key);
    } else {
      this.asn[r] = this.baseAsn[r];
      this.net[r] = this.baseNet[r];
    }
    this.refreshTrust(r);
  }

  /** Sets the vouched owners; returns the reporters whose kind changed. */
  setInternalOwners(ownerIds: Iterable<string>): number[] {
    const want = new Set<number>();
    for (const id of ownerIds) {
      const o = this.owners.find(id);
      if (o >= 0) want.add(o);
    }
    const changed: number[] = [];
    const touch = (o: number): void => {
      for (const r of this.ownerAgents[o] ?? []) {
        const before = this.internal[r];
        this.applyKind(r);
        if (this.internal[r] !== before) changed.push(r);
      }
    };
    for (const o of [...this.internalOwners]) {
      if (want.has(o)) continue;
      this.internalOwners.delete(o);
      touch(o);
    }
    for (const o of want) {
      if (this.internalOwners.has(o)) continue;
      this.internalOwners.add(o);
      touch(o);
    }
    return changed;
  }

  private removeFromOwner(r: number): void {
    const list = this.ownerAgents[this.owner[r]];
    const i = list.indexOf(r);
    if (i >= 0) list.splice(i, 1);
  }

  private grow(n: number): void {
    this.owner = growI32(this.owner, n);
    this.asn = growI32(this.asn, n);
    this.net = growI32(this.net, n);
    this.country = growI32(this.country, n);
    this.honeypot = growU8(this.honeypot, n);
    this.internal = growU8(this.internal, n);
    this.baseAsn = growI32(this.baseAsn, n);
    this.baseNet = growI32(this.baseNet, n);
    this.enrolledAt = growF64(this.enrolledAt, n);
    this.alpha = growF64(this.alpha, n);
    this.beta = growF64(this.beta, n);
    this.trust = growF64(this.trust, n);
    this.quarantinedAt = growF64(this.quarantinedAt, n);
    this.posDay = growI32(this.posDay, n);
    this.posCount = growF64(this.posCount, n);
    this.negDay = growI32(this.negDay, n);
    this.negCount = growF64(this.negCount, n);
    this.capDay = growI32(this.capDay, n);
    this.capCount = growI32(this.capCount, n);
    this.entryHead = growI32(this.entryHead, n);
  }

  refreshTrust(r: number): void {
    const bonus = this.internal[r] === 1 ? this.p.internalPriorAlpha : 0;
    this.trust[r] = trustLowerBound(this.alpha[r] + bonus, this.beta[r], this.p.trustZ);
  }

  isQuarantined(r: number): boolean {
    return this.quarantinedAt[r] !== NONE;
  }

  /** w_r = T · g(age); 0 for quarantined reporters and honeypots. */
  weight(r: number, now: number): number {
    if (this.quarantinedAt[r] !== NONE || this.honeypot[r] === 1) return 0;
    const t = this.trust[r];
    if (t === 0) return 0;
    if (this.internal[r] === 1) return t;
    return t * ageGate(now - this.enrolledAt[r], this.p);
  }

  /** Adds positive evidence within the daily cap; returns whether it counted. */
  addPositive(r: number, day: number): boolean {
    if (this.posDay[r] !== day) {
      this.posDay[r] = day;
      this.posCount[r] = 0;
    }
    if (this.posCount[r] + 1 > this.p.positiveCapPerDay) return false;
    this.posCount[r] += 1;
    this.alpha[r] += 1;
    this.refreshTrust(r);
    return true;
  }

  addNegative(r: number, amount: number): void {
    this.beta[r] += amount;
    this.refreshTrust(r);
  }

  /** Unconfirmed-report negative evidence, capped per day. */
  addUnconfirmed(r: number, day: number): void {
    if (this.negDay[r] !== day) {
      this.negDay[r] = day;
      this.negCount[r] = 0;
    }
    const room = this.p.negUnconfirmedCapPerDay - this.negCount[r];
    const amount = Math.min(room, this.p.negUnconfirmed);
    if (amount <= 0) return;
    this.negCount[r] += amount;
    this.addNegative(r, amount);
  }

  /** Counts a new distinct target for today; false once the per-agent daily cap is reached. */
  takeDistinct(r: number, day: number): boolean {
    if (this.capDay[r] !== day) {
      this.capDay[r] = day;
      this.capCount[r] = 0;
    }
    if (this.capCount[r] >= this.p.maxDistinctIpsPerAgentPerDay) return false;
    this.capCount[r] += 1;
    return true;
  }

  /** Records an upheld false positive; returns how many fall inside the quarantine window. */
  recordUpheld(r: number, now: number): number {
    const list = (this.fpUpheld[r] ??= []);
    list.push(now);
    const since = now - this.p.quarantineFpWindowMs;
    let n = 0;
    for (const t of list) if (t > since) n++;
    return n;
  }

  /** Records a contradicted claim; returns how many fall inside the quarantine window. */
  recordContradicted(r: number, now: number): number {
    const since = now - this.p.quarantineFpWindowMs;
    const list = (this.contradicted[r] ?? []).filter((t) => t > since);
    list.push(now);
    this.contradicted[r] = list;
    return list.length;
  }

  forgetAll(days = 1): void {
    const p = this.p;
    for (let r = 0; r < this.size; r++) {
      this.alpha[r] = forget(this.alpha[r], p.priorAlpha, p.alphaForgetting, days);
      this.beta[r] = forget(this.beta[r], p.priorBeta, p.betaForgetting, days);
      this.refreshTrust(r);
    }
  }
}
