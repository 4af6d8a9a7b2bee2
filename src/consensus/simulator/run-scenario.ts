import { ipKey, networkKey, parseIp } from '../../common/ip/ip-address.js';
import { ConsensusEngine } from '../scoring/engine.js';
import type { Listing, TickResult } from '../scoring/types.js';
import { ActionQueue, type Action } from './actions.js';

export type { Action } from './actions.js';
import { Prng } from './generator/prng.js';
import { buildCanaries, buildNeverList, parseVoteKey } from './matchers.js';
import type { ResultListing, Scenario, ScenarioResult } from './scenario.js';

export interface RunOptions {
  /** Parameter overrides applied on top of the scenario's own `params`. */
  params?: Record<string, unknown>;
  /** Called after each scoring run with the engine's changes. */
  onTick?: (now: number, changes: TickResult, engine: ConsensusEngine) => void;
  /** Called for each simulator-side action (delisting requests and reviews, copier reports). */
  onAction?: (action: Action) => void;
  /** Called once at the end, with the engine (trust inspection in benchmarks). */
  onEnd?: (engine: ConsensusEngine) => void;
  /** Wall clock for the stats (injectable so tests stay deterministic). */
  clock?: () => number;
}

const DAY = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString();

/** Replays a scenario through the consensus engine on a simulated clock with the configured tick. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): ScenarioResult {
  const clock = opts.clock ?? (() => performance.now());
  const wallStart = clock();
  const replay = new Replay(scenario, opts);
  const events = replay.run();
  const wallSeconds = (clock() - wallStart) / 1000;
  opts.onEnd?.(replay.engine);
  return {
    name: scenario.name,
    listings: replay.listings,
    quarantined: replay.quarantined,
    stats: { events, wallSeconds, eventsPerSecond: wallSeconds > 0 ? events / wallSeconds : 0 },
  };
}

class Replay {
  readonly engine: ConsensusEngine;
  readonly listings: ResultListing[] = [];
  readonly quarantined: { agent: string; at: string }[] = [];
  private readonly open = new Map<string, ResultListing>();
  private readonly agentIdx = new Map<string, number>();
  private readonly ipIdx = new Map<string, number>();
  private readonly scenarioIdx = new Map<string, number>();
  private readonly actions = new ActionQueue();
  private readonly victims = new Map<string, number>();
  private readonly rng: Prng;
  private readonly start: number;
  private readonly end: number;
  private day: number;

  constructor(
    private readonly scenario: Scenario,
    private readonly opts: RunOptions,
  ) {
    this.start = Date.parse(scenario.start);
    this.end = Date.parse(scenario.end);
    this.day = Math.floor(this.start / DAY);
    this.rng = new Prng(scenario.seed ?? 1);
    const egress = new Map<string, string[]>();
    for (const a of scenario.agents) {
      const ip = parseIp(a.ip);
      if (a.kind !== 'community' || ip === null) continue;
      const key = ipKey(ip);
      egress.set(key, [...(egress.get(key) ?? []), a.id]);
    }
    const honeypotIps = scenario.agents.filter((a) => a.kind === 'honeypot').map((a) => a.ip);
    const protectedTarget = (key: string): boolean => egress.get(key)?.some((id) => !this.engine.isQuarantined(id)) === true;
    this.engine = new ConsensusEngine(
      { ...(scenario.params ?? {}), ...(opts.params ?? {}) },
      { neverList: buildNeverList(scenario.neverList, honeypotIps), canary: buildCanaries(scenario.canaries), protectedTarget },
    );
    for (const a of scenario.agents) {
      const ip = parseIp(a.ip);
      const r = this.engine.registerReporter({
        id: a.id,
        ownerId: a.owner,
        asn: a.asn,
        net: ip === null ? `invalid:${a.ip}` : networkKey(ip),
        country: a.country,
        enrolledAt: Date.parse(a.enrolledAt),
        kind: a.kind,
        alpha: a.alpha,
        beta: a.beta,
      });
      this.agentIdx.set(a.id, r);
    }
    (scenario.victims ?? []).forEach((v, i) => this.victims.set(voteKeyOf(v.ip), i));
  }

  run(): number {
    const eng = this.engine;
    const tickMs = eng.params.tickMs;
    let nextTick = this.start + tickMs;
    let events = 0;
    for (const ev of this.scenario.events) {
      const t = Date.parse(ev.t);
      if (t > this.end) break;
      while (nextTick <= t) {
        this.tick(nextTick);
        nextTick += tickMs;
      }
      this.runActions(t);
      events++;
      if (ev.type === 'signal') {
        const r = this.agentIdx.get(ev.agent);
        if (r === undefined) throw new Error(`event at ${ev.t}: unknown agent ${ev.agent}`);
        eng.ingestIndexed(r, this.ip(ev.ip), this.scenarioId(ev.scenario), t, ev.weight0 === true, ev.inPublicFeed === true);
      } else {
        const key = voteKeyOf(ev.ip);
        eng.requestDelisting(key, t);
        const at = ev.reviewedAt === undefined ? t : Date.parse(ev.reviewedAt);
        if (at <= t) eng.reviewDelisting(key, ev.outcome, t);
        else this.actions.push({ kind: 'review', at, ip: key, outcome: ev.outcome });
      }
    }
    while (nextTick <= this.end) {
      this.tick(nextTick);
      nextTick += tickMs;
    }
    return events;
  }

  private ip(raw: string): number {
    let x = this.ipIdx.get(raw);
    if (x === undefined) {
      const ip = parseIp(raw) ?? parseVoteKey(raw);
      x = ip === null ? this.engine.ipIndex(`invalid:${raw}`) : this.engine.ipIndex(ipKey(ip), networkKey(ip));
      this.ipIdx.set(raw, x);
    }
    return x;
  }

  private scenarioId(name: string): number {
    let c = this.scenarioIdx.get(name);
    if (c === undefined) {
      c = this.engine.scenarioIndex(name);
      this.scenarioIdx.set(name, c);
    }
    return c;
  }

  private runActions(upTo: number): void {
    while (this.actions.size > 0 && this.actions.peekTime() <= upTo) this.apply(this.actions.shift());
  }

  private apply(a: Action): void {
    const eng = this.engine;
    this.opts.onAction?.(a);
    if (a.kind === 'review') return eng.reviewDelisting(a.ip, a.outcome, a.at);
    if (a.kind === 'request') {
      if (this.open.get(a.ip)?.listedAt !== iso(a.listedAt)) return;
      const v = (this.scenario.victims ?? [])[a.victim];
      eng.requestDelisting(a.ip, a.at);
      const hours = v.reviewHours[0] + this.rng.next() * (v.reviewHours[1] - v.reviewHours[0]);
      this.actions.push({ kind: 'review', at: a.at + hours * 3_600_000, ip: a.ip, outcome: v.outcome });
      return;
    }
    const c = (this.scenario.copiers ?? [])[a.copier];
    const r = this.agentIdx.get(c.agent);
    if (r !== undefined) eng.ingestIndexed(r, this.ip(a.ip), this.scenarioId(c.scenario), a.at);
  }

  private tick(now: number): void {
    this.runActions(now);
    const d = Math.floor(now / DAY);
    if (d > this.day) {
      this.day = d;
      this.engine.dailyMaintenance(now);
    }
    const changes = this.engine.tick(now);
    for (const l of changes.removed) {
      const rec = this.open.get(l.ipKey);
      if (rec === undefined) continue;
      rec.delistedAt = iso(l.removedAt ?? now);
      this.open.delete(l.ipKey);
    }
    for (const l of changes.added) this.onAdded(l);
    for (const q of changes.quarantined) this.quarantined.push({ agent: q.reporterId, at: iso(q.at) });
    this.opts.onTick?.(now, changes, this.engine);
  }

  private onAdded(l: Listing): void {
    const rec: ResultListing = { ip: l.ipKey, listedAt: iso(l.listedAt), delistedAt: null, reason: l.reason };
    this.listings.push(rec);
    this.open.set(l.ipKey, rec);
    const victim = this.victims.get(l.ipKey);
    if (victim !== undefined) {
      const p = (this.scenario.victims ?? [])[victim].complaintProbabilityPerDay;
      if (p > 0) {
        const rate = -Math.log(1 - Math.min(p, 0.999999));
        const at = l.listedAt + Math.round(this.rng.exponential(1 / rate) * DAY);
        this.actions.push({ kind: 'request', at, ip: l.ipKey, listedAt: l.listedAt, victim });
      }
    }
    (this.scenario.copiers ?? []).forEach((c, copier) => {
      this.actions.push({ kind: 'copy', at: l.listedAt + c.delaySeconds * 1000, ip: l.ipKey, copier });
    });
  }
}

function voteKeyOf(raw: string): string {
  const ip = parseIp(raw) ?? parseVoteKey(raw);
  return ip === null ? `invalid:${raw}` : ipKey(ip);
}
