import { compareStrings } from './columns.js';
import { restoreEngine, snapshotEngine } from './engine-snapshot.js';
import { restoreIp, restoreReporter, snapshotIp, snapshotReporter } from './snapshot.js';
import type { EngineSnapshot, IpSnapshot, ReporterSnapshot } from './snapshot-types.js';
import { evaluate } from './decide.js';
import { requestDelisting, reviewDelisting } from './delisting.js';
import { ingestSignal, SIG_PUBLIC_FEED, SIG_WEIGHT0 } from './ingest.js';
import { releaseQuarantine } from './evidence.js';
import { countCoVotes, dailyMaintenance, rebuildClusters } from './maintenance.js';
import { pruneVotes } from './votes.js';
import { resolveParams, type ConsensusParams } from './params.js';
import { EngineState } from './state.js';
import type {
  DelistingOutcome,
  EngineCounters,
  EngineOptions,
  Listing,
  ReporterInfo,
  Signal,
  TickResult,
} from './types.js';

export interface ReporterView {
  id: string;
  ownerId: string;
  alpha: number;
  beta: number;
  trust: number;
  weight: number;
  quarantinedAt: number | null;
}

/**
 * The consensus engine (docs/consensus.md, "10. The engine, step by step"), in memory and free of I/O. Callers feed signals,
 * call `tick(now)` on the scoring cadence and `dailyMaintenance(now)` once a day; the simulator
 * and the database-backed job drive the same class.
 */
export class ConsensusEngine {
  /** @internal exposed for snapshots and tests of the internals */
  readonly state: EngineState;

  constructor(params: ConsensusParams | Readonly<Record<string, unknown>> = {}, options: EngineOptions = {}) {
    this.state = new EngineState(resolveParams(params as Readonly<Record<string, unknown>>), options);
  }

  get params(): Readonly<ConsensusParams> {
    return this.state.p;
  }

  get counters(): Readonly<EngineCounters> {
    return this.state.counters;
  }

  registerReporter(info: ReporterInfo): number {
    const r = this.state.reporters.upsert(info);
    this.state.collusion.ensureOwners(this.state.reporters.owners.size);
    return r;
  }

  /**
   * Owners the operator vouched for (organisations of kind `internal`); others lose the status.
   * Takes effect at the next tick: every IP their reporters voted for is rescored.
   */
  setInternalOwners(ownerIds: Iterable<string>): number {
    const st = this.state;
    const changed = st.reporters.setInternalOwners(ownerIds);
    for (const r of changed) {
      for (let e = st.reporters.entryHead[r]; e !== -1; e = st.votes.nextByAgent[e]) {
        st.markDirty(st.votes.ip[e]);
        st.forced.add(st.votes.ip[e]);
      }
    }
    return changed.length;
  }

  reporterIndex(id: string): number {
    return this.state.reporters.find(id);
  }

  /** Dense id of a target; `targetNet` enables the own-network rule for it. */
  ipIndex(ipKey: string, targetNet?: string): number {
    const net = targetNet === undefined ? -1 : this.state.reporters.nets.find(targetNet);
    return this.state.ips.intern(ipKey, net);
  }

  scenarioIndex(scenario: string): number {
    return this.state.classIndex(scenario);
  }

  ingest(signal: Signal): void {
    let r = this.state.reporters.find(signal.reporterId);
    if (signal.reporter !== undefined) r = this.registerReporter({ id: signal.reporterId, ...signal.reporter });
    if (r < 0) throw new Error(`unknown reporter ${signal.reporterId}`);
    const x = this.ipIndex(signal.ipKey, signal.targetNet);
    const flags = (signal.weight0 === true ? SIG_WEIGHT0 : 0) | (signal.inPublicFeed === true ? SIG_PUBLIC_FEED : 0);
    ingestSignal(this.state, r, x, this.state.classIndex(signal.scenario), signal.at, flags);
  }

  /** Allocation-free path for replays: ids from reporterIndex / ipIndex / scenarioIndex. */
  ingestIndexed(reporter: number, ip: number, scenario: number, at: number, weight0 = false, inPublicFeed = false): void {
    const flags = (weight0 ? SIG_WEIGHT0 : 0) | (inPublicFeed ? SIG_PUBLIC_FEED : 0);
    ingestSignal(this.state, reporter, ip, scenario, at, flags);
  }

  /** One scoring run: due timers, the collusion detector when due, then every dirty IP in key order. */
  tick(now: number): TickResult {
    const st = this.state;
    const { ips, timers, p } = st;
    while (timers.size > 0 && timers.peekTime() <= now) {
      const t = timers.peekTime();
      const x = timers.pop();
      if (ips.nextCheck[x] === t) st.markDirty(x);
    }
    countCoVotes(st, now);
    pruneVotes(st, now);
    if (now >= st.nextCollusionAt || st.collusion.pendingLinks) {
      rebuildClusters(st, now);
      st.nextCollusionAt = (Math.floor(now / p.collusionIntervalMs) + 1) * p.collusionIntervalMs;
    }
    if (st.memberCampaigns.takeStarted() !== 0) {
      // A surge started: candidates the novelty budget held back are rescored now, not in 15 min.
      for (const x of st.noveltyBlocked) {
        st.markDirty(x);
        st.forced.add(x);
      }
      st.noveltyBlocked.clear();
    }
    const list = st.dirtyList;
    st.dirtyList = [];
    if (list.length > 1) list.sort((a, b) => compareStrings(ips.keys[a], ips.keys[b]));
    for (const x of list) {
      ips.dirty[x] = 0;
      const rec = ips.listing[x];
      if (rec !== undefined && !st.forced.has(x)) {
        // New votes on a confirmed listing only extend its TTL (done at ingest); the scheduled
        // keep check rescores it. Unconfirmed or budget-charged listings are rescored, at most
        // once per listedRescoreMinMs, to notice confirmation and refunds.
        const next = ips.nextCheck[x];
        if (rec.confirmed && rec.chargeSettled && next > now) continue;
        if (now - ips.lastScored[x] < p.listedRescoreMinMs) {
          const at = ips.lastScored[x] + p.listedRescoreMinMs;
          if (!(next > now && next <= at)) st.schedule(x, at);
          continue;
        }
      }
      evaluate(st, x, now, st.forced.has(x));
    }
    st.forced.clear();
    return this.drain();
  }

  private drain(): TickResult {
    const st = this.state;
    const out: TickResult = { added: st.added, removed: st.removed, quarantined: st.quarantined };
    st.added = [];
    st.removed = [];
    st.quarantined = [];
    return out;
  }

  /** Verified delisting request: suppression for 24 h unless a honeypot saw the IP in 7 days. */
  requestDelisting(ipKey: string, now: number): boolean {
    return requestDelisting(this.state, this.ipIndex(ipKey), now);
  }

  reviewDelisting(ipKey: string, outcome: DelistingOutcome, now: number): void {
    reviewDelisting(this.state, this.ipIndex(ipKey), outcome, now);
  }

  /** Request and review at once (the review outcome is already known). */
  applyDelisting(ipKey: string, outcome: DelistingOutcome, now: number): void {
    this.requestDelisting(ipKey, now);
    this.reviewDelisting(ipKey, outcome, now);
  }

  dailyMaintenance(now: number): void {
    dailyMaintenance(this.state, now);
  }

  /** Never-list, canary and protected matchers changed: look them up again. */
  invalidateMatchers(): void {
    this.state.matcherEpoch++;
  }

  listing(ipKey: string): Listing | null {
    const x = this.state.ips.find(ipKey);
    const rec = x < 0 ? undefined : this.state.ips.listing[x];
    return rec === undefined ? null : this.state.publicListing(rec);
  }

  /** The last listing of `ipKey`, current or ended (explanation records). */
  lastListing(ipKey: string): Listing | null {
    const x = this.state.ips.find(ipKey);
    const rec = x < 0 ? undefined : this.state.ips.lastListing[x];
    return rec === undefined ? null : this.state.publicListing(rec);
  }

  listedKeys(): string[] {
    const { ips } = this.state;
    const out: string[] = [];
    for (let x = 0; x < ips.size; x++) if (ips.listing[x] !== undefined) out.push(ips.keys[x]);
    return out.sort(compareStrings);
  }

  reporter(id: string, now: number): ReporterView | null {
    const rep = this.state.reporters;
    const r = rep.find(id);
    if (r < 0) return null;
    return {
      id,
      ownerId: rep.owners.names[rep.owner[r]],
      alpha: rep.alpha[r],
      beta: rep.beta[r],
      trust: rep.trust[r],
      weight: rep.weight(r, now),
      quarantinedAt: rep.isQuarantined(r) ? rep.quarantinedAt[r] : null,
    };
  }

  isQuarantined(id: string): boolean {
    const r = this.state.reporters.find(id);
    return r >= 0 && this.state.reporters.isQuarantined(r);
  }

  /**
   * Releases a reporter from quarantine on an operator's request made at `requestedAt` (a quarantine
   * that began later is kept). Takes effect at the next tick. Returns whether it was released.
   */
  releaseQuarantine(id: string, requestedAt: number): boolean {
    const r = this.state.reporters.find(id);
    return r >= 0 && releaseQuarantine(this.state, r, requestedAt);
  }

  /** Current score of a target (§3.4) and its listing, without changing any state. */
  explain(ipKey: string, now: number): { S: number; D_AS: number; V: number; E: number; H: boolean; listing: Listing | null } | null {
    const st = this.state;
    const x = st.ips.find(ipKey);
    if (x < 0) return null;
    const n = st.scorer.collect(x, now, st.collusion.root);
    const s = n > 0 ? st.scorer.stats(false) : { S: 0, dAs: 0, V: 0, E: 0 };
    const rec = st.ips.listing[x];
    return { S: s.S, D_AS: s.dAs, V: s.V, E: s.E, H: st.honeypotSeen(x, now), listing: rec === undefined ? null : st.publicListing(rec) };
  }

  /** State of one target, to persist; null when the engine holds nothing for it. */
  snapshotIp(ipKey: string): IpSnapshot | null {
    const x = this.state.ips.find(ipKey);
    return x < 0 ? null : snapshotIp(this.state, x);
  }

  /** Loads one target's state (its reporters must be registered or restored first). */
  restoreIp(snapshot: IpSnapshot): void {
    restoreIp(this.state, snapshot);
  }

  snapshotReporter(id: string): ReporterSnapshot | null {
    const r = this.state.reporters.find(id);
    return r < 0 ? null : snapshotReporter(this.state, r);
  }

  restoreReporter(snapshot: ReporterSnapshot): void {
    restoreReporter(this.state, snapshot);
  }

  /** Everything, as plain JSON-able data; `ConsensusEngine.restore` continues exactly from it. */
  snapshot(): EngineSnapshot {
    return snapshotEngine(this.state);
  }

  static restore(snapshot: EngineSnapshot, options: EngineOptions = {}): ConsensusEngine {
    const engine = new ConsensusEngine(snapshot.params, options);
    restoreEngine(engine.state, snapshot);
    return engine;
  }

  /** Voter id (owner or collusion cluster root) of an owner, for inspection. */
  voterOf(ownerId: string): string {
    const rep = this.state.reporters;
    const o = rep.owners.find(ownerId);
    if (o < 0) return ownerId;
    return rep.owners.names[this.state.collusion.root[o] ?? o];
  }
}
