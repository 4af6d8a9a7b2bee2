import { LineParser, type LogFormat } from './line-parser.js';
import type { LogEvent, LogSource } from './log-event.js';
import { ScenarioBuckets } from './leaky-bucket.js';
import type { ScenarioDefinition } from './scenario.js';
import { makeSignal, type Signal } from './signal.js';

export interface DetectorOptions {
  scenarios: readonly ScenarioDefinition[];
  onSignal: (signal: Signal) => void;
  /** Addresses never reported (own addresses, allowlists); checked when a bucket overflows. */
  isIgnored?: (ip: string) => boolean;
  /** Memory bound per scenario. */
  maxBucketsPerScenario?: number;
  /** How often, in event time, empty buckets are swept. */
  sweepIntervalMs?: number;
}

export interface DetectorStats {
  lines: number;
  events: number;
  signals: number;
  suppressed: number;
  buckets: number;
  blackholes: number;
}

/** Timestamps more than this ahead of the reading clock are distrusted (wrong time zone, skewed clock). */
const MAX_FUTURE_MS = 60_000;

/** Parses lines into events and pours them into every scenario that accepts them. */
export class Detector {
  private readonly parser = new LineParser();
  private readonly bySource = new Map<LogSource, ScenarioBuckets[]>();
  private readonly all: ScenarioBuckets[];
  private readonly onSignal: (signal: Signal) => void;
  private readonly isIgnored: (ip: string) => boolean;
  private readonly sweepIntervalMs: number;
  private nextSweep = -Infinity;
  private counts = { lines: 0, events: 0, signals: 0, suppressed: 0 };

  constructor(options: DetectorOptions) {
    const max = options.maxBucketsPerScenario ?? 200_000;
    this.all = options.scenarios.map((s) => new ScenarioBuckets(s, max));
    for (const s of this.all) {
      const list = this.bySource.get(s.definition.filter.source) ?? [];
      list.push(s);
      this.bySource.set(s.definition.filter.source, list);
    }
    this.onSignal = options.onSignal;
    this.isIgnored = options.isIgnored ?? (() => false);
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  get scenarios(): readonly ScenarioBuckets[] {
    return this.all;
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
    if (time >= this.nextSweep) {
      if (this.nextSweep !== -Infinity) this.sweep(time);
      this.nextSweep = time + this.sweepIntervalMs;
    }
    const list = this.bySource.get(e.source);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (!s.accepts(e)) continue;
      const overflow = s.pour(e, e.ip, time);
      if (overflow === null) continue;
      if (this.isIgnored(e.ip)) {
        this.counts.suppressed++;
        continue;
      }
      this.counts.signals++;
      this.onSignal(makeSignal(e.ip, s, overflow.startedAt, overflow.stoppedAt));
    }
  }

  sweep(now: number): void {
    for (const s of this.all) s.sweep(now);
  }

  stats(): DetectorStats {
    let buckets = 0;
    let blackholes = 0;
    for (const s of this.all) {
      buckets += s.bucketCount;
      blackholes += s.blackholeCount;
    }
    return { ...this.counts, buckets, blackholes };
  }
}
