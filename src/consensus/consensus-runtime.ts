import { ConsensusEngine } from './scoring/engine.js';
import { restoreEngine } from './scoring/engine-snapshot.js';
import type { EngineSnapshot, IpSnapshot, ReporterSnapshot } from './scoring/snapshot-types.js';
import type { EngineOptions, Listing, QuarantineEvent, TickResult } from './scoring/types.js';
import type { ReporterRow, ScoringSignal } from './consensus.types.js';
import type { ConsensusMatchers } from './consensus-matchers.js';
import { TrustedScenarios } from './trusted-scenarios.js';

export interface RuntimeOptions {
  params: Readonly<Record<string, unknown>>;
  matchers: ConsensusMatchers;
  isProtected: (ipKey: string) => boolean;
}

/**
 * Everything a runtime holds, as plain data (src/consensus/snapshot writes and reads it): the engine's
 * own snapshot (format owned by src/consensus/scoring/engine-snapshot.ts) and the sightings, published
 * expiries and trusted scenario names kept beside it, each in its map's order.
 */
export interface RuntimeImage {
  engine: EngineSnapshot;
  seen: Array<[string, number, number]>;
  published: Array<[string, number]>;
  trusted: Array<[string, string[]]>;
}

/**
 * The worker's in-memory engine plus what the persisted state needs besides it: first/last sighting
 * per IP and which IPs a run touched. Pure (no I/O), so rebuild and incremental runs share it.
 */
export class ConsensusRuntime {
  readonly engine: ConsensusEngine;
  readonly seen = new Map<string, { first: number; last: number }>();
  /** The expiry last handed to the blocklist per listed key (TTL extensions republish). */
  readonly published = new Map<string, number>();
  /** Scenario names from reporters past the trust gates, per IP (what ip_score shows). */
  readonly trustedScenarios = new TrustedScenarios();
  private readonly touched = new Set<string>();

  constructor(options: RuntimeOptions, engine?: ConsensusEngine) {
    this.engine = engine ?? new ConsensusEngine(options.params, engineOptions(options));
  }

  /**
   * A runtime continuing exactly from `image` (taken by `image()` of another runtime), with this
   * worker's matchers. The caller checks that the image's parameters are the configured ones.
   */
  static fromImage(options: RuntimeOptions, image: RuntimeImage): ConsensusRuntime {
    const runtime = new ConsensusRuntime(options, ConsensusEngine.restore(image.engine, engineOptions(options)));
    for (const [key, first, last] of image.seen) runtime.seen.set(key, { first, last });
    for (const [key, until] of image.published) runtime.published.set(key, until);
    runtime.trustedScenarios.load(image.trusted);
    return runtime;
  }

  /**
   * A restore fed record by record (src/consensus/snapshot reads them from a stream), so the records
   * of millions of IPs never need to be held at once. Same result as `fromImage`: classes and owners
   * are interned first in the snapshot's order, then reporters and IPs, then the engine's remaining
   * state by the engine's own `restoreEngine` (with no reporters and IPs left to restore).
   */
  static restoring(options: RuntimeOptions, engineHeader: Omit<EngineSnapshot, 'reporters' | 'ips'>): RuntimeRestore {
    const engine = new ConsensusEngine(engineHeader.params, engineOptions(options));
    const runtime = new ConsensusRuntime(options, engine);
    for (const name of engineHeader.scenarioClasses) engine.scenarioIndex(name);
    for (const owner of engineHeader.owners) engine.state.reporters.owners.intern(owner);
    return {
      runtime,
      reporter: (r) => engine.restoreReporter(r),
      ip: (x) => engine.restoreIp(x),
      seen: (key, first, last) => runtime.seen.set(key, { first, last }),
      published: (key, until) => runtime.published.set(key, until),
      trusted: (entries) => runtime.trustedScenarios.load(entries),
      finish: () => {
        restoreEngine(engine.state, { ...engineHeader, reporters: [], ips: [] } as EngineSnapshot);
        return runtime;
      },
    };
  }

  /** The whole state as plain data, copied now (later runs do not change it). */
  image(): RuntimeImage {
    return {
      engine: this.engine.snapshot(),
      seen: [...this.seen].map(([key, s]) => [key, s.first, s.last]),
      published: [...this.published],
      trusted: this.trustedScenarios.entries(),
    };
  }

  registerReporter(row: ReporterRow): void {
    this.engine.registerReporter({
      id: row.pseudonym,
      ownerId: row.owner,
      asn: row.asn ?? 0,
      net: row.net ?? `unknown:${row.pseudonym}`,
      country: row.country ?? '--',
      enrolledAt: row.enrolledAt.getTime(),
      kind: row.kind,
      alpha: row.alpha,
      beta: row.beta,
    });
  }

  /** Feeds one stored signal; a reporter the engine does not know yet gets the most sceptical profile. */
  ingest(signal: ScoringSignal, nowForUnknown: number): void {
    if (signal.scope !== 'ip') return;
    if (this.engine.reporterIndex(signal.reporter) < 0) {
      this.engine.registerReporter({ id: signal.reporter, ownerId: signal.owner, asn: 0, net: `unknown:${signal.reporter}`, country: '--', enrolledAt: nowForUnknown });
    }
    const at = signal.at.getTime();
    this.engine.ingest({ reporterId: signal.reporter, ipKey: signal.ipKey, scenario: signal.scenario, at, weight0: signal.weight === 0 });
    this.trustedScenarios.record(this.engine, signal.reporter, signal.ipKey, signal.scenario, at, signal.weight === 0);
    const s = this.seen.get(signal.ipKey);
    if (!s) this.seen.set(signal.ipKey, { first: at, last: at });
    else {
      if (at < s.first) s.first = at;
      if (at > s.last) s.last = at;
      // Map order is the order of the latest sighting, so `forgetSeenBefore` finds expired IPs at the head.
      this.seen.delete(signal.ipKey);
      this.seen.set(signal.ipKey, s);
    }
    this.touched.add(signal.ipKey);
  }

  /**
   * Forgets the sightings of IPs last seen before `cutoff` (the replay horizon: a rebuild would not
   * know them either) unless they are still listed. Works from the head of the map, which holds the
   * least recently sighted IPs, and stops at the first one still in the window: the cost is the number
   * of IPs that expired, and the map holds at most the IPs sighted within the window plus the listed
   * ones.
   */
  forgetSeenBefore(cutoff: number): number {
    let forgotten = 0;
    const kept: Array<[string, { first: number; last: number }]> = [];
    for (const [key, s] of this.seen) {
      if (s.last >= cutoff) break;
      this.seen.delete(key);
      if (this.engine.listing(key) !== null) kept.push([key, s]);
      else forgotten++;
    }
    // Still-listed IPs go to the tail: they are looked at again only after every other IP.
    for (const [key, s] of kept) this.seen.set(key, s);
    return forgotten;
  }

  tick(now: number): TickResult {
    const result = this.engine.tick(now);
    for (const l of [...result.added, ...result.removed]) this.touched.add(l.ipKey);
    return result;
  }

  /** IPs whose aggregate may have changed since the last call. */
  drainTouched(): string[] {
    const out = [...this.touched];
    this.touched.clear();
    return out;
  }

  /** Simulated-time replay of stored history (rebuilds): ticks at the configured cadence, outputs dropped. */
  replay(signals: ScoringSignal[], from: number, to: number, tickMs: number): { quarantined: QuarantineEvent[] } {
    const quarantined: QuarantineEvent[] = [];
    let next = from + tickMs;
    for (const s of signals) {
      const at = s.receivedAt.getTime();
      while (at >= next && next <= to) {
        quarantined.push(...this.tick(next).quarantined);
        next += tickMs;
      }
      this.ingest(s, s.receivedAt.getTime());
    }
    while (next <= to) {
      quarantined.push(...this.tick(next).quarantined);
      next += tickMs;
    }
    return { quarantined };
  }

  listed(): Listing[] {
    return this.engine.listedKeys().map((k) => this.engine.listing(k)).filter((l): l is Listing => l !== null);
  }
}

/** Feeds a restore (`ConsensusRuntime.restoring`): reporters before IPs, `finish` last. */
export interface RuntimeRestore {
  /** The runtime being restored (the binary format loads IP columns into its engine directly). */
  readonly runtime: ConsensusRuntime;
  reporter(snapshot: ReporterSnapshot): void;
  ip(snapshot: IpSnapshot): void;
  seen(key: string, first: number, last: number): void;
  published(key: string, until: number): void;
  trusted(entries: Array<[string, string[]]>): void;
  finish(): ConsensusRuntime;
}

function engineOptions(options: RuntimeOptions): EngineOptions {
  return {
    neverList: (key) => options.matchers.neverListCategory(key),
    canary: (key) => options.matchers.isCanary(key),
    protectedTarget: (key) => options.isProtected(key),
  };
}
