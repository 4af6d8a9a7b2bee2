import { CrossIpStage, type CrossIpFlag } from './cross-ip-stage.js';
import { CROSS_IP_CLASSIFICATION, type CrossIpScenarioDefinition } from './cross-ip-scenario.js';
import { LineParser, type LogFormat } from './line-parser.js';
import type { LogEvent, LogSource } from './log-event.js';
import { ScenarioBuckets } from './leaky-bucket.js';
import { RecentLogins } from './recent-logins.js';
import type { ScenarioDefinition } from './scenario.js';
import { makeSignal, type Signal, signalLabels } from './signal.js';
import { SshAttempts } from './ssh-attempts.js';

export interface DetectorOptions {
  scenarios: readonly ScenarioDefinition[];
  /** The second stage: distributed attacks on one service (detect/cross-ip-scenario.ts). */
  crossIpScenarios?: readonly CrossIpScenarioDefinition[];
  onSignal: (signal: Signal) => void;
  /** Addresses never reported (own addresses, allowlists); checked when a bucket overflows. */
  isIgnored?: (ip: string) => boolean;
  /** Memory bound per scenario. */
  maxBucketsPerScenario?: number;
  /** How often, in event time, empty buckets are swept. */
  sweepIntervalMs?: number;
  /** How long a successful login vouches for its address (default 24 h). */
  loginMemoryMs?: number;
}

export interface DetectorStats {
  lines: number;
  events: number;
  signals: number;
  suppressed: number;
  buckets: number;
  blackholes: number;
  /** Cross-IP stage: addresses remembered, attacks recognised, scenarios under attack now. */
  suspects: number;
  attacks: number;
  underAttack: string[];
  recentLogins: number;
}

/** Timestamps more than this ahead of the reading clock are distrusted (wrong time zone, skewed clock). */
const MAX_FUTURE_MS = 60_000;

/**
 * Parses lines into events and pours them into every scenario that accepts them (one bucket per
 * address), then into the cross-IP stage. sshd failures are counted once per attempt (SshAttempts);
 * successful logins are remembered (RecentLogins).
 */
export class Detector {
  private readonly parser = new LineParser();
  private readonly bySource = new Map<LogSource, ScenarioBuckets[]>();
  private readonly crossBySource = new Map<LogSource, CrossIpStage[]>();
  private readonly all: ScenarioBuckets[];
  private readonly cross: CrossIpStage[];
  private readonly crossLabels = new Map<CrossIpStage, Record<string, string> | undefined>();
  private readonly attempts = new SshAttempts();
  readonly logins: RecentLogins;
  private readonly onSignal: (signal: Signal) => void;
  private readonly isIgnored: (ip: string) => boolean;
  private readonly sweepIntervalMs: number;
  private readonly flags: CrossIpFlag[] = [];
  private nextSweep = -Infinity;
  private lastTime = -Infinity;
  private counts = { lines: 0, events: 0, signals: 0, suppressed: 0 };

  constructor(options: DetectorOptions) {
    const max = options.maxBucketsPerScenario ?? 200_000;
    this.all = options.scenarios.map((s) => new ScenarioBuckets(s, max));
    for (const s of this.all) {
      const list = this.bySource.get(s.definition.filter.source) ?? [];
      list.push(s);
      this.bySource.set(s.definition.filter.source, list);
    }
    this.logins = new RecentLogins(options.loginMemoryMs ?? 86_400_000);
    this.cross = (options.crossIpScenarios ?? []).map((d) => new CrossIpStage(d, this.logins, max));
    for (const c of this.cross) {
      const list = this.crossBySource.get(c.source) ?? [];
      list.push(c);
      this.crossBySource.set(c.source, list);
      this.crossLabels.set(c, signalLabels(c.definition.labels, { classification: CROSS_IP_CLASSIFICATION }));
    }
    this.onSignal = options.onSignal;
    this.isIgnored = options.isIgnored ?? (() => false);
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  get scenarios(): readonly ScenarioBuckets[] {
    return this.all;
  }

  get crossIpStages(): readonly CrossIpStage[] {
    return this.cross;
  }

  /** Log time of the latest event (-Infinity before the first). */
  get clock(): number {
    return this.lastTime;
  }

  /** Whether `ip` logged in successfully within the login memory, as of the latest event. */
  recentlyLoggedIn(ip: string): boolean {
    return this.logins.has(ip, this.lastTime);
  }

  /** One log line (without its newline) read at `receivedAt` (ms). */
  processLine(line: string, format: LogFormat, receivedAt: number): void {
    this.counts.lines++;
    const e = this.parser.parse(line, format, receivedAt);
    if (e !== null) this.processEvent(e, receivedAt);
  }

  processEvent(e: LogEvent, receivedAt: number): void {
    this.counts.events++;
    let time = e.time;
    if (!(time === time) || time > receivedAt + MAX_FUTURE_MS) time = receivedAt;
    if (time > this.lastTime) this.lastTime = time;
    if (time >= this.nextSweep) {
      if (this.nextSweep !== -Infinity) this.sweep(time);
      this.nextSweep = time + this.sweepIntervalMs;
    }
    if (e.source === 'sshd') {
      if (e.kind === 'ssh_auth_success') this.logins.record(e.ip, time);
      else this.attempts.normalize(e, time);
    }
    const list = this.bySource.get(e.source);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        if (!s.accepts(e)) continue;
        const overflow = s.pour(e, e.ip, time);
        if (overflow === null) continue;
        this.emit(e.ip, s, overflow.startedAt, overflow.stoppedAt);
      }
    }
    const stages = this.crossBySource.get(e.source);
    if (stages !== undefined) this.crossIp(stages, e, time);
  }

  private crossIp(stages: CrossIpStage[], e: LogEvent, time: number): void {
    const flags = this.flags;
    for (let i = 0; i < stages.length; i++) {
      const c = stages[i];
      c.due(time, flags);
      if (c.isSuccess(e)) {
        // sshd successes were recorded in processEvent; record the others (web logins...) once here.
        if (e.kind !== 'ssh_auth_success') this.logins.record(e.ip, time);
        c.onSuccess(e.ip);
      } else if (c.accepts(e)) {
        c.observe(e, time, flags);
      }
      this.flush(c);
    }
  }

  /** Emits the addresses stage `c` flagged into `this.flags`, and empties it. */
  private flush(c: CrossIpStage): void {
    const flags = this.flags;
    if (flags.length === 0) return;
    const labels = this.crossLabels.get(c);
    for (const f of flags) this.emit(f.ip, { name: c.name, version: c.version, hash: c.hash, labels }, f.startedAt, f.stoppedAt);
    flags.length = 0;
  }

  private emit(ip: string, scenario: { name: string; version: string; hash: string; labels?: Record<string, string> }, startedAt: number, stoppedAt: number): void {
    if (this.isIgnored(ip)) {
      this.counts.suppressed++;
      return;
    }
    this.counts.signals++;
    this.onSignal(makeSignal(ip, scenario, startedAt, stoppedAt));
  }

  /**
   * Lets time pass without a log line (a quiet log): strong evidence whose grace period is over is
   * flagged. `now` is in log time (the live agent passes the wall clock).
   */
  tick(now: number): void {
    if (now > this.lastTime) this.lastTime = now;
    for (const c of this.cross) {
      c.due(now, this.flags);
      this.flush(c);
    }
  }

  sweep(now: number): void {
    for (const s of this.all) s.sweep(now);
    for (const c of this.cross) c.sweep(now);
    this.attempts.sweep(now);
    this.logins.sweep(now);
  }

  stats(): DetectorStats {
    let buckets = 0;
    let blackholes = 0;
    for (const s of this.all) {
      buckets += s.bucketCount;
      blackholes += s.blackholeCount;
    }
    let suspects = 0;
    let attacks = 0;
    const underAttack: string[] = [];
    for (const c of this.cross) {
      suspects += c.suspectCount;
      attacks += c.attacks;
      if (c.underAttack(this.lastTime)) underAttack.push(c.name);
    }
    return { ...this.counts, buckets, blackholes, suspects, attacks, underAttack, recentLogins: this.logins.size };
  }
}
