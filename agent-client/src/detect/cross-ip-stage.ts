import { parseDuration } from '../util/duration.js';
import { type CrossIpScenarioDefinition, crossIpScenarioHash } from './cross-ip-scenario.js';
import type { LogEvent } from './log-event.js';
import type { RecentLogins } from './recent-logins.js';
import { compileFilter, type EventPredicate } from './scenario-filter.js';

interface Suspect {
  first: number;
  last: number;
  /** Latest failure counted in the distinct-sources window, -Infinity when not counted there. */
  windowAt: number;
  attempts: number;
  /** Log time of the first strong evidence, NaN if none. */
  strongAt: number;
  flagged: boolean;
}

export interface CrossIpFlag {
  ip: string;
  startedAt: number;
  stoppedAt: number;
}

const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : (parseDuration(text) ?? fallback));

/**
 * The runtime of one cross-IP scenario (see detect/cross-ip-scenario.ts): a sliding window of the
 * distinct failing addresses of its service, the attack state, and per-address evidence. Log time drives
 * everything, so a replay behaves as the live agent. Memory is bounded by `maxSuspects`.
 */
export class CrossIpStage {
  readonly name: string;
  readonly version: string;
  readonly hash: string;
  readonly accepts: EventPredicate;
  readonly isSuccess: EventPredicate;
  private readonly isStrong: EventPredicate | null;
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly holdMs: number;
  private readonly attempts: number;
  private readonly memoryMs: number;
  private readonly graceMs: number;
  /**
   * The distinct-sources window: every failure in time order (a queue of parallel arrays from `head`:
   * the suspect's record, the time), and how many distinct addresses it holds. An address counts while
   * its `windowAt` is in the window; a queue entry that leaves uncounts it only if it is still that
   * address's latest failure (a forgotten record was uncounted when it was forgotten).
   */
  private queue: Suspect[] = [];
  private queueAt: number[] = [];
  private head = 0;
  private distinct = 0;
  private readonly suspects = new Map<string, Suspect>();
  /** Strong evidence waiting for its grace period, in time order. */
  private readonly pending = new Map<string, number>();
  private attackUntil = -Infinity;
  private attackStartedAt = NaN;
  attacks = 0;

  constructor(
    readonly definition: CrossIpScenarioDefinition,
    private readonly logins: RecentLogins,
    private readonly maxSuspects = 200_000,
  ) {
    this.name = definition.name;
    this.version = definition.version;
    this.hash = crossIpScenarioHash(definition);
    this.accepts = compileFilter(definition.filter);
    this.isSuccess = definition.success ? compileFilter(definition.success) : () => false;
    this.isStrong = definition.flag.strong ? compileFilter({ ...definition.flag.strong, source: definition.filter.source }) : null;
    this.threshold = definition.attack.distinctSources;
    this.windowMs = ms(definition.attack.window, 120_000);
    this.holdMs = ms(definition.attack.hold, 600_000);
    this.attempts = definition.flag.attempts;
    this.memoryMs = ms(definition.flag.memory, 1_800_000);
    this.graceMs = ms(definition.flag.grace, 0);
  }

  get source(): LogEvent['source'] {
    return this.definition.filter.source;
  }

  /** Whether the service is under a distributed attack at `time`. */
  underAttack(time: number): boolean {
    return time < this.attackUntil;
  }

  get suspectCount(): number {
    return this.suspects.size;
  }

  get attackSince(): number {
    return this.attackStartedAt;
  }

  /** Distinct addresses that failed within the window, as of the latest failure. */
  get distinctSources(): number {
    return this.distinct;
  }

  /** A successful login: the address is no suspect any more (RecentLogins keeps it from being flagged). */
  onSuccess(ip: string): void {
    const s = this.suspects.get(ip);
    if (s !== undefined) this.forget(ip, s);
    this.pending.delete(ip);
  }

  private forget(ip: string, s: Suspect): void {
    if (s.windowAt !== -Infinity) this.distinct--;
    s.windowAt = -Infinity;
    this.suspects.delete(ip);
  }

  /** An accepted failure event; pushes the addresses flagged by it into `out`. */
  observe(e: LogEvent, time: number, out: CrossIpFlag[]): void {
    const ip = e.ip;
    this.prune(time);
    let s = this.suspects.get(ip);
    if (s === undefined) {
      if (this.suspects.size >= this.maxSuspects) this.sweep(time, true);
      s = { first: time, last: time, windowAt: -Infinity, attempts: 0, strongAt: NaN, flagged: false };
      this.suspects.set(ip, s);
    } else if (time - s.last > this.memoryMs) {
      s.first = time;
      s.attempts = 0;
      s.strongAt = NaN;
      s.flagged = false;
    }
    s.last = time;
    if (s.windowAt === -Infinity) this.distinct++;
    if (time > s.windowAt) s.windowAt = time; // a line slightly out of order must not uncount a later one
    this.queue.push(s);
    this.queueAt.push(time);
    s.attempts += e.count;
    if (this.isStrong !== null && s.strongAt !== s.strongAt && this.isStrong(e)) s.strongAt = time;
    if (this.distinct > this.threshold) {
      if (!(time < this.attackUntil)) {
        this.attacks++;
        this.attackStartedAt = time;
        this.attackUntil = time + this.holdMs;
        // the evidence gathered before the attack was recognised counts
        for (const [other, o] of this.suspects) if (other !== ip) this.evaluate(other, o, time, out);
      }
      this.attackUntil = time + this.holdMs;
    }
    if (time < this.attackUntil) this.evaluate(ip, s, time, out);
  }

  private prune(time: number): void {
    const horizon = time - this.windowMs;
    const records = this.queue;
    const ats = this.queueAt;
    let h = this.head;
    while (h < ats.length && ats[h] < horizon) {
      const s = records[h];
      if (s.windowAt === ats[h]) {
        s.windowAt = -Infinity;
        this.distinct--;
      }
      h++;
    }
    if (h > 4096 && h * 2 > ats.length) {
      this.queue = records.slice(h);
      this.queueAt = ats.slice(h);
      h = 0;
    }
    this.head = h;
  }

  /** Strong evidence whose grace period ended by `time` (called for every event of the source). */
  due(time: number, out: CrossIpFlag[]): void {
    if (this.pending.size === 0) return;
    for (const [ip, at] of this.pending) {
      if (at > time) break;
      this.pending.delete(ip);
      const s = this.suspects.get(ip);
      if (s !== undefined && time < this.attackUntil + this.graceMs) this.evaluate(ip, s, time, out);
    }
  }

  private evaluate(ip: string, s: Suspect, time: number, out: CrossIpFlag[]): void {
    if (s.flagged || time - s.last > this.memoryMs || this.logins.has(ip, time)) return;
    let now = s.attempts >= this.attempts;
    if (!now && s.strongAt === s.strongAt) {
      if (time >= s.strongAt + this.graceMs) now = true;
      else if (!this.pending.has(ip)) this.pending.set(ip, s.strongAt + this.graceMs);
    }
    if (!now) return;
    s.flagged = true;
    this.pending.delete(ip);
    out.push({ ip, startedAt: s.first, stoppedAt: time });
  }

  /** Forgets addresses not seen within `memory`; when `force`d (memory bound), also the oldest tenth. */
  sweep(now: number, force = false): void {
    for (const [ip, s] of this.suspects) if (now - s.last > this.memoryMs) this.forget(ip, s);
    if (!force || this.suspects.size < this.maxSuspects) return;
    let excess = Math.ceil(this.maxSuspects / 10);
    for (const [ip, s] of this.suspects) {
      this.forget(ip, s);
      this.pending.delete(ip);
      if (--excess <= 0) break;
    }
  }
}
