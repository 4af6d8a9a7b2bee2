import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AgentsService } from '../agents/agents.service.js';
import { ReporterIdentityService } from '../agents/reporter-identity.service.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { ipSubject } from '../privacy/subject-hash.js';
import { ConsensusMatchers } from './consensus-matchers.js';
import { DelistingRepository } from './delisting/delisting.repository.js';
import { ConsensusRuntime, type RuntimeOptions } from './consensus-runtime.js';
import { ConsensusSnapshots } from './snapshot/consensus-snapshot.service.js';
import { QuarantineReleases } from './quarantine-release/quarantine-releases.js';
import { NeverListService } from './never-list/never-list.service.js';
import { ConsensusRepository } from './consensus.repository.js';
import type { ExplanationRow, IpScoreRow } from './consensus.types.js';
import { summarizeIp } from './ip-summary.js';
import { SignalGaps } from './signal-gaps.js';
import type { ListingChange } from '../blocklist/blocklist.types.js';
import { LISTING_PUBLISHER, type ListingPublisher } from './listing-publisher.js';
import type { Listing, TickResult } from './scoring/types.js';
import { MAX_DECISION_LIFETIME_MS } from './scoring/params.js';

const READ_BATCH = 50_000;
/** A run longer than a nudge bucket (consensus-ingest.listener.ts) is followed by another at once... */
const CATCH_UP_AFTER_MS = 2_000;
/** ...for at most this long per job. */
const CATCH_UP_BUDGET_MS = 30_000;

export interface TickReport {
  outcome: JobOutcome;
  signals: number;
  added: number;
  removed: number;
  version: number | null;
}

/**
 * Worker side of consensus: one in-memory engine per worker, kept in step with PostgreSQL. Runs are
 * serialised across workers by an advisory lock; a worker whose engine is behind the persisted
 * generation rebuilds it by replaying stored signals, then reconciles listings with what is stored.
 */
@Injectable()
export class ConsensusService {
  private readonly logger = new Logger('Consensus');
  private readonly matchers = new ConsensusMatchers();
  private runtime: ConsensusRuntime | null = null;
  /** Ids the cursor stepped over while their batch was in flight (this worker's runs only). */
  private gaps = new SignalGaps();
  private generation = -1n;
  private protectedEgress = new Set<string>();
  private protectedIps = new Set<string>();
  /** Newest reporter-row write already registered in the runtime (database time). */
  private reportersSeenAt: Date | null = null;
  /** The next rebuild replays all stored history instead of restoring a snapshot (consensus-recompute). */
  private fullReplayNext = false;

  constructor(
    private readonly repository: ConsensusRepository,
    private readonly delistings: DelistingRepository,
    private readonly neverList: NeverListService,
    private readonly agents: AgentsService,
    private readonly identities: ReporterIdentityService,
    private readonly network: NetworkIdentityService,
    private readonly redis: RedisService,
    private readonly clock: Clock,
    @Inject(LISTING_PUBLISHER) private readonly publisher: ListingPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly snapshots: ConsensusSnapshots,
    private readonly releases: QuarantineReleases,
  ) {}

  /**
   * A scoring job. Nudges wait for their 2 s bucket to close, so a worker that is behind would idle
   * between long runs: a run that lasted longer than a bucket has at least a bucket of new signals
   * waiting, and the next run starts at once. Bounded, so the queue's other jobs get their turn.
   */
  @OnJob(JobName.ScoreTick)
  async handleTick(): Promise<JobOutcome> {
    const started = Date.now();
    for (;;) {
      const runStarted = Date.now();
      const report = await this.tick();
      const caughtUp = Date.now() - runStarted < CATCH_UP_AFTER_MS;
      if (report.outcome !== 'done' || caughtUp || Date.now() - started >= CATCH_UP_BUDGET_MS) return report.outcome;
    }
  }

  @OnJob(JobName.ConsensusRecompute)
  async handleRecompute(): Promise<JobOutcome> {
    const done = await this.repository.withScoringLock(async () => {
      this.runtime = null;
      this.fullReplayNext = true;
      await this.runLocked(this.clock.now());
    });
    return done === null ? 'skipped' : 'done';
  }

  @OnJob(JobName.TrustForgetting)
  async handleTrustForgetting(): Promise<JobOutcome> {
    const done = await this.repository.withScoringLock(async () => {
      const now = this.clock.now();
      const runtime = await this.ensureRuntime(now);
      runtime.engine.dailyMaintenance(now.getTime());
      await this.persistTrust(runtime, now);
    });
    return done === null ? 'skipped' : 'done';
  }

  /** One scoring run (also called directly by tests and the latency benchmark). */
  async tick(): Promise<TickReport> {
    const report = await this.repository.withScoringLock(() => this.runLocked(this.clock.now()));
    return report ?? { outcome: 'skipped', signals: 0, added: 0, removed: 0, version: null };
  }

  private async runLocked(now: Date): Promise<TickReport> {
    const runtime = await this.ensureRuntime(now);
    // Reporters enrolled or moved since the last run score with their real network at once.
    const changed = await this.repository.reportersChangedSince(this.reportersSeenAt);
    for (const row of changed.rows) runtime.registerReporter(row);
    this.reportersSeenAt = changed.watermark;
    // Organisations vouched for as internal (audited, `quorum org kind`): effective from this run.
    runtime.engine.setInternalOwners(await this.identities.internalOwners());
    const cursor = await this.repository.cursor();
    let lastId = cursor.lastSignalId;
    const since = new Date(now.getTime() - this.config.consensus.replayHours * 3_600_000);
    // Rows of batches that were still in flight when an earlier run read past their ids.
    const late = await this.repository.signalsByIds(this.gaps.due(now.getTime()), since);
    for (const s of late) runtime.ingest(s, now.getTime());
    this.gaps.found(late.map((s) => s.id));
    let count = late.length;
    for (;;) {
      const batch = await this.repository.signalsAfter(lastId, since, READ_BATCH);
      for (const s of batch) runtime.ingest(s, now.getTime());
      this.gaps.noteRead(lastId, batch.map((s) => s.id), now.getTime());
      count += batch.length;
      if (batch.length > 0) lastId = batch[batch.length - 1].id;
      if (batch.length < READ_BATCH) break;
    }
    runtime.forgetSeenBefore(since.getTime());
    const delisted = await this.applyDelistings(runtime, now);
    // Operators' releases from quarantine (docs/operators.md, "Community"), persisted by the API process.
    const released = await this.releases.applyPending(runtime.engine, now);
    const result = runtime.tick(now.getTime());
    const generation = cursor.generation + 1n;
    const version = await this.persistRun(runtime, result, now, generation, delisted);
    if (released > 0) await this.persistTrust(runtime, now);
    await this.repository.saveCursor({ lastSignalId: lastId, generation, lastTickAt: now });
    this.generation = generation;
    await this.redis.pubsub.publish(this.redis.key('scores', 'version'), generation.toString()).catch(() => 0);
    if (this.snapshots.isDue(now.getTime())) await this.saveSnapshot(runtime, { lastSignalId: lastId, generation, runAt: now.getTime() });
    return { outcome: 'done', signals: count, added: result.added.length, removed: result.removed.length, version };
  }

  /**
   * Saves this worker's engine if it is the current one (graceful shutdown: the next worker restores
   * it and replays nothing). Returns whether a snapshot was written. A scheduled snapshot still being
   * written in the background is waited for in every case, so shutdown never cuts one short.
   */
  async snapshotNow(): Promise<boolean> {
    try {
      const saved = await this.repository.withScoringLock(async () => {
        const cursor = await this.repository.cursor();
        if (!this.runtime || cursor.generation !== this.generation || !cursor.lastTickAt) return false;
        return this.saveSnapshot(this.runtime, { lastSignalId: cursor.lastSignalId, generation: cursor.generation, runAt: cursor.lastTickAt.getTime() }, true);
      });
      return saved === true;
    } finally {
      await this.snapshots.idle();
    }
  }

  /**
   * A snapshot of the state right after the run that stored `cursor` (scoring lock held; the lock is
   * needed only while the state is copied, the write goes on in the background unless `wait`). Never
   * fails the run.
   */
  private async saveSnapshot(runtime: ConsensusRuntime, cursor: { lastSignalId: bigint; generation: bigint; runAt: number }, wait = false): Promise<boolean> {
    try {
      return (await this.snapshots.save(runtime, { ...cursor, gapIds: this.gaps.due(cursor.runAt) }, wait)) !== null;
    } catch (error) {
      this.logger.warn(`consensus snapshot not saved: ${(error as Error).message}`);
      return false;
    }
  }

  /** Verified requests suppress (24 h unless sensors saw the IP); operator decisions are applied. */
  private async applyDelistings(runtime: ConsensusRuntime, now: Date): Promise<string[]> {
    const nowMs = now.getTime();
    const { verified, decided } = await this.delistings.pendingForEngine();
    for (const r of verified) {
      const suppressed = runtime.engine.requestDelisting(r.ipKey, nowMs);
      await this.delistings.markSuppressed(r.id, suppressed ? new Date(nowMs + 86_400_000) : null);
    }
    for (const r of decided) {
      runtime.engine.reviewDelisting(r.ipKey, r.status === 'upheld' ? 'upheld' : 'rejected', nowMs);
      await this.delistings.markApplied(r.id, now);
    }
    return [...verified, ...decided].map((r) => r.ipKey);
  }

  /** Loads matchers and, when this worker's engine is missing or stale, rebuilds it from storage. */
  private async ensureRuntime(now: Date): Promise<ConsensusRuntime> {
    await this.neverList.refresh();
    this.matchers.load(this.neverList, await this.repository.canaries());
    this.protectedEgress = new Set(await this.agents.activeEgressPseudonyms());
    this.protectedIps = new Set(await this.repository.activeIpProtections(now));
    const cursor = await this.repository.cursor();
    if (this.runtime && cursor.generation === this.generation) {
      this.runtime.engine.invalidateMatchers();
      return this.runtime;
    }
    const started = Date.now();
    const options: RuntimeOptions = {
      params: this.snapshots.runtimeParams(),
      matchers: this.matchers,
      // Agents' own egress, and IPs their holder had erased (GDPR R9): listing needs a honeypot sighting.
      isProtected: (key) =>
        this.network.egressCandidates(key).some((egress) => this.protectedEgress.has(egress)) ||
        (this.protectedIps.size > 0 && this.protectedIps.has(ipSubject(this.config.privacy.pseudonymSecret, key))),
    };
    const from = now.getTime() - this.config.consensus.replayHours * 3_600_000;
    // The newest usable snapshot, then only the signals after its cursor (src/consensus/snapshot);
    // without one (or for consensus-recompute), all stored history.
    const restored = this.fullReplayNext ? null : await this.snapshots.restoreNewest(options, { cursor, horizonMs: from });
    this.fullReplayNext = false;
    const runtime = restored?.runtime ?? new ConsensusRuntime(options);
    for (const row of await this.repository.reporters()) runtime.registerReporter(row);
    // Ids the snapshot's worker had stepped over while their batch was in flight are read by id.
    const history = restored ? await this.repository.signalsByIds(restored.cursor.gapIds.filter((id) => id <= cursor.lastSignalId), new Date(from)) : [];
    let lastId = restored?.cursor.lastSignalId ?? 0n;
    for (;;) {
      const batch = await this.repository.signalsAfter(lastId, new Date(from), READ_BATCH);
      history.push(...batch);
      if (batch.length > 0) lastId = batch[batch.length - 1].id;
      if (batch.length < READ_BATCH || lastId >= cursor.lastSignalId) break;
    }
    const replayed = history.filter((s) => s.id <= cursor.lastSignalId);
    runtime.replay(replayed, restored ? restored.cursor.runAt : from, now.getTime() - 1, this.config.consensus.tickMs);
    // A snapshot holds the delisting decisions applied up to its run; later ones are applied again.
    const appliedAfter = restored ? restored.cursor.runAt : -Infinity;
    for (const r of await this.delistings.appliedSince(new Date(from - 30 * 86_400_000))) {
      if (r.verifiedAt && r.verifiedAt.getTime() > appliedAfter) runtime.engine.requestDelisting(r.ipKey, r.verifiedAt.getTime());
      if (r.decidedAt && r.decidedAt.getTime() > appliedAfter && (r.status === 'upheld' || r.status === 'rejected')) {
        runtime.engine.reviewDelisting(r.ipKey, r.status, r.decidedAt.getTime());
      }
    }
    // Likewise the operators' releases from quarantine applied after the snapshot (all of them on a full replay).
    await this.releases.reapply(runtime.engine, new Date(from - 30 * 86_400_000), appliedAfter);
    runtime.tick(now.getTime() - 1);
    runtime.drainTouched();
    // The replay read every committed row up to the cursor, late ones included.
    this.gaps = new SignalGaps();
    await this.reconcile(runtime, now);
    this.runtime = runtime;
    this.generation = cursor.generation;
    this.logger.log(
      restored
        ? `consensus engine restored from snapshot ${restored.snapshotId} (generation ${restored.cursor.generation}) plus ${replayed.length} newer signals in ${Date.now() - started} ms`
        : `consensus engine rebuilt from ${replayed.length} signals in ${Date.now() - started} ms`,
    );
    return runtime;
  }

  /** After a rebuild, publishes the difference between the engine's listings and the stored ones. */
  private async reconcile(runtime: ConsensusRuntime, now: Date): Promise<void> {
    const stored = new Set(await this.repository.listedKeys());
    const current = runtime.listed();
    const currentKeys = new Set(current.map((l) => l.ipKey));
    const synthetic: TickResult = {
      added: current.filter((l) => !stored.has(l.ipKey)),
      removed: [...stored].filter((k) => !currentKeys.has(k)).map((k) => removedListing(k, now.getTime())),
      quarantined: [],
    };
    if (synthetic.added.length + synthetic.removed.length === 0) return;
    this.logger.warn(`rebuild reconciles ${synthetic.added.length} additions and ${synthetic.removed.length} removals`);
    const cursor = await this.repository.cursor();
    await this.persistRun(runtime, synthetic, now, cursor.generation + 1n, [...synthetic.added, ...synthetic.removed].map((l) => l.ipKey));
  }

  /** Writes one run's outcome under `version` (the generation the run will commit). */
  private async persistRun(runtime: ConsensusRuntime, result: TickResult, now: Date, version: bigint, extraKeys: string[] = []): Promise<number | null> {
    const keys = new Set([...runtime.drainTouched(), ...extraKeys]);
    const nowMs = now.getTime();
    const rows: IpScoreRow[] = [];
    for (const key of keys) {
      const summary = summarizeIp(runtime.engine, key, nowMs, runtime.trustedScenarios.of(key));
      const seen = runtime.seen.get(key);
      if (!summary || !seen) continue;
      const { listing } = summary;
      rows.push({
        ipKey: key,
        score: round(summary.S),
        reporters: summary.V,
        established: summary.E,
        asns: summary.D_AS,
        scenarios: summary.scenarioClasses,
        firstSeen: new Date(seen.first),
        lastSeen: new Date(seen.last),
        listed: listing !== null,
        listedAt: listing ? new Date(listing.listedAt) : null,
        listedUntil: listing ? new Date(listing.expiresAt) : null,
        reason: listing?.reason ?? null,
        honeypot: summary.honeypot,
      });
    }
    const rowByKey = new Map(rows.map((r) => [r.ipKey, r]));
    await this.repository.saveScores(rows, version, now);
    const unscored = result.removed.map((l) => l.ipKey).filter((k) => !rowByKey.has(k));
    await this.repository.markUnlisted(unscored, version, now);
    await this.repository.saveExplanations(result.added.map(toExplanation));
    const changes: ListingChange[] = [
      ...result.added.map((l) => toChange(l, 'upsert', rowByKey.get(l.ipKey), nowMs)),
      ...result.removed.map((l) => toChange(l, 'remove', rowByKey.get(l.ipKey), nowMs)),
    ];
    for (const l of result.added) runtime.published.set(l.ipKey, publishedExpiry(l.expiresAt, nowMs));
    for (const l of result.removed) runtime.published.delete(l.ipKey);
    // TTL extensions of listings already published: republished when the published (rounded) expiry moves.
    const added = new Set(result.added.map((l) => l.ipKey));
    for (const r of rows) {
      if (!r.listed || !r.listedUntil) continue;
      const until = publishedExpiry(r.listedUntil.getTime(), nowMs);
      if (runtime.published.get(r.ipKey) === until) continue;
      runtime.published.set(r.ipKey, until);
      if (added.has(r.ipKey)) continue;
      changes.push({ ...keyValue(r.ipKey), scenarioClass: r.scenarios[0] ?? 'unknown', score: r.score, until: new Date(until), kind: 'upsert' });
    }
    if (result.quarantined.length > 0) await this.persistTrust(runtime, now);
    const published = changes.length > 0 ? await this.publisher.publishChanges(changes, now) : null;
    return published?.version ?? null;
  }

  private async persistTrust(runtime: ConsensusRuntime, now: Date): Promise<void> {
    const rows = [];
    for (const reporter of await this.repository.reporters()) {
      const view = runtime.engine.reporter(reporter.pseudonym, now.getTime());
      if (!view) continue;
      rows.push({
        pseudonym: reporter.pseudonym,
        alpha: view.alpha,
        beta: view.beta,
        quarantinedAt: view.quarantinedAt === null ? null : new Date(view.quarantinedAt),
        quarantineReason: view.quarantinedAt === null ? null : 'engine',
      });
    }
    await this.repository.saveTrust(rows);
  }
}

/**
 * The expiry handed to the blocklist: the engine's, rounded up to the next PUBLISHED_EXPIRY_STEP_MS.
 * Every new sighting of a listed IP extends its expiry a little; publishing each extension would
 * close and reopen its blocklist row at every scoring run (history rows that deltas must keep). Rounded
 * up, a listing is republished at most once per step, and the blocklist never drops an IP before the
 * engine does (the engine's own removal is published when it expires). GDPR R3 comes first: never
 * more than 96 h ahead of the run (MAX_DECISION_LIFETIME_MS), rounded down to a step there, so a
 * lifetime configured at the cap is still republished at most once per step.
 */
export const PUBLISHED_EXPIRY_STEP_MS = 15 * 60_000;

function publishedExpiry(expiresAt: number, nowMs: number): number {
  const cap = Math.floor((nowMs + MAX_DECISION_LIFETIME_MS) / PUBLISHED_EXPIRY_STEP_MS) * PUBLISHED_EXPIRY_STEP_MS;
  return Math.min(Math.ceil(expiresAt / PUBLISHED_EXPIRY_STEP_MS) * PUBLISHED_EXPIRY_STEP_MS, cap);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function keyValue(ipKey: string): { ipKey: string; value: string; scope: 'ip' | 'range' } {
  return { ipKey, value: ipKey, scope: ipKey.includes('/') ? 'range' : 'ip' };
}

function toChange(listing: Listing, kind: 'upsert' | 'remove', row: IpScoreRow | undefined, nowMs: number): ListingChange {
  return {
    ...keyValue(listing.ipKey),
    scenarioClass: listing.explanation.scenarioClasses[0] ?? row?.scenarios[0] ?? 'unknown',
    score: row?.score ?? listing.explanation.S,
    until: new Date(kind === 'upsert' ? publishedExpiry(listing.expiresAt, nowMs) : listing.expiresAt),
    kind,
  };
}

function toExplanation(listing: Listing): ExplanationRow {
  const e = listing.explanation;
  return {
    ipKey: listing.ipKey,
    listedAt: new Date(listing.listedAt),
    reason: e.reason,
    score: e.S,
    asns: e.D_AS,
    established: e.E,
    scenarioClasses: e.scenarioClasses,
    firstSeen: new Date(e.firstSeen),
    lastSeen: new Date(e.lastSeen),
    voters: e.voterPseudonyms,
  };
}

function removedListing(ipKey: string, now: number): Listing {
  return {
    ipKey,
    listedAt: now,
    expiresAt: now,
    reason: 'consensus',
    confirmed: false,
    removedAt: now,
    removeReason: 'expired',
    explanation: { reason: 'consensus', S: 0, D_AS: 0, E: 0, scenarioClasses: [], firstSeen: now, lastSeen: now, voterPseudonyms: [] },
  };
}
