import { parseDuration } from '../util/duration.js';
import type { EventField, LogEvent } from './log-event.js';
import { type ScenarioDefinition, scenarioHash } from './scenario.js';
import { compileFilter, type EventPredicate } from './scenario-filter.js';
import { signalLabels } from './signal.js';

interface Bucket {
  level: number;
  last: number;
  started: number;
  seen: Set<unknown> | null;
}

export interface Overflow {
  key: string;
  startedAt: number;
  stoppedAt: number;
}

/**
 * The buckets of one scenario. The level leaks continuously (one event per leak period); a bucket that
 * has leaked empty starts afresh, so `startedAt` is the first event of the current burst.
 */
export class ScenarioBuckets {
  readonly name: string;
  readonly version: string;
  readonly hash: string;
  readonly accepts: EventPredicate;
  /** The scenario's labels that signals carry. */
  readonly labels: Record<string, string> | undefined;
  private readonly capacity: number;
  private readonly leakMs: number;
  private readonly blackholeMs: number;
  private readonly distinct: EventField | undefined;
  private readonly buckets = new Map<string, Bucket>();
  private readonly blackholes = new Map<string, number>();

  constructor(
    readonly definition: ScenarioDefinition,
    private readonly maxBuckets: number,
  ) {
    this.name = definition.name;
    this.version = definition.version;
    this.hash = scenarioHash(definition);
    this.accepts = compileFilter(definition.filter);
    this.labels = signalLabels(definition.labels);
    this.capacity = definition.capacity;
    this.leakMs = parseDuration(definition.leakSpeed) ?? NaN;
    this.blackholeMs = definition.blackhole ? (parseDuration(definition.blackhole) ?? 0) : 0;
    this.distinct = definition.distinct;
    if (!(this.leakMs > 0)) throw new Error(`${definition.name}: bad leakSpeed ${definition.leakSpeed}`);
  }

  get bucketCount(): number {
    return this.buckets.size;
  }

  get blackholeCount(): number {
    return this.blackholes.size;
  }

  /** Pours an accepted event; returns the overflow it causes, if any. */
  pour(e: LogEvent, key: string, time: number): Overflow | null {
    // a further line of an attempt already counted (detect/ssh-attempts.ts)
    if (e.count === 0 && this.distinct === undefined) return null;
    if (this.blackholes.size > 0) {
      const until = this.blackholes.get(key);
      if (until !== undefined) {
        if (time < until) return null;
        this.blackholes.delete(key);
      }
    }
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.evict(time);
      b = { level: 0, last: time, started: time, seen: this.distinct ? new Set() : null };
      this.buckets.set(key, b);
    } else if (time > b.last) {
      b.level -= (time - b.last) / this.leakMs;
      b.last = time;
      if (b.level <= 0) {
        b.level = 0;
        b.started = time;
        if (b.seen) b.seen.clear();
      }
    }
    let amount = e.count;
    if (b.seen !== null) {
      const v = e[this.distinct as EventField];
      if (b.seen.has(v)) return null;
      b.seen.add(v);
      amount = 1;
    }
    b.level += amount;
    if (b.level <= this.capacity) return null;
    this.buckets.delete(key);
    if (this.blackholeMs > 0) this.blackholes.set(key, time + this.blackholeMs);
    return { key, startedAt: b.started, stoppedAt: time };
  }

  /** Drops buckets that have leaked empty and blackholes that have expired by `now`. */
  sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.level - (now - b.last) / this.leakMs <= 0) this.buckets.delete(key);
    }
    for (const [key, until] of this.blackholes) {
      if (now >= until) this.blackholes.delete(key);
    }
  }

  /** Memory bound: sweep, then drop the oldest buckets (Map order is insertion order) down to 90%. */
  private evict(now: number): void {
    this.sweep(now);
    let excess = this.buckets.size - Math.floor(this.maxBuckets * 0.9);
    if (excess <= 0) return;
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (--excess <= 0) break;
    }
  }
}
