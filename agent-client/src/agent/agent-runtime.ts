import { hostname } from 'node:os';

import type { AgentConfig } from '../config.js';
import { Detector } from '../detect/detector.js';
import { FileFollower, type FollowPosition } from '../detect/file-follower.js';
import { selectScenarios } from '../detect/scenario-set.js';
import type { Signal } from '../detect/signal.js';
import { type FetchLike } from '../http/http-request.js';
import { QuorumApi } from '../http/quorum-api.js';
import { ignoredRanges, ignoreFilter } from '../net/ignore-filter.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { BlocklistWriter } from '../output/blocklist-output.js';
import { MergedOutputs } from '../output/merged-outputs.js';
import { LocalDecisions } from '../remediation/local-decisions.js';
import { BlocklistPuller } from '../pull/blocklist-puller.js';
import { SignalPusher } from '../push/signal-pusher.js';
import { loadPrivateKey } from '../sign/agent-keys.js';
import { SignalSpool } from '../spool/signal-spool.js';
import type { Logger } from '../util/logger.js';
import { loadPositions, loadRegistration, savePositions, stateFiles } from './agent-state.js';

export interface RuntimeOptions {
  fetchImpl?: FetchLike;
  /** How often positions and the status file are written. */
  checkpointMs?: number;
  /** How often local decisions are expired and quiet logs' pending evidence is looked at. */
  tickMs?: number;
}

/** `quorum-agent run`: follow, detect, spool, push; pull and apply; checkpoint; stop cleanly. */
export class AgentRuntime {
  private spool: SignalSpool | null = null;
  private pusher: SignalPusher | null = null;
  private puller: BlocklistPuller | null = null;
  private detector: Detector | null = null;
  private readonly followers = new Map<string, FileFollower>();
  private timers: NodeJS.Timeout[] = [];
  private spoolChain: Promise<unknown> = Promise.resolve();
  private pending: Signal[] = [];
  private readonly startedAt = new Date();
  private agentId = '';
  private lastPull: { at: string | null; error: string | null; mode: string | null } = { at: null, error: null, mode: null };
  private pulling = false;
  private outputs: MergedOutputs | null = null;
  private local: LocalDecisions | null = null;
  private localAdded = 0;
  private readonly remediationCounts = { decided: 0, skippedRecentLogin: 0, expired: 0, applies: 0, lastAppliedAt: null as string | null, lastError: null as string | null };

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly opts: RuntimeOptions = {},
  ) {}

  async start(): Promise<void> {
    const c = this.config;
    const registration = await loadRegistration(c.stateDir);
    if (!registration) throw new Error(`not registered: run quorum-agent register --enroll-key <KEY> first (no ${stateFiles(c.stateDir).registration})`);
    this.agentId = registration.agent_id;
    const privateKey = await loadPrivateKey(c.privateKeyFile);
    const api = new QuorumApi({ baseUrl: c.server.url, timeoutMs: c.server.timeoutMs, privateKey, agentId: registration.agent_id, fetchImpl: this.opts.fetchImpl });
    this.spool = await SignalSpool.open(stateFiles(c.stateDir).spool);
    this.pusher = new SignalPusher({ spool: this.spool, api, ...c.push, logger: this.logger });
    const ranges = ignoredRanges(c);
    const { scenarios, crossIpScenarios, unknownDisabled } = selectScenarios(c.scenarios);
    for (const n of unknownDisabled) this.logger.warn('scenarios.disabled names an unknown scenario', { scenario: n });
    this.detector = new Detector({
      scenarios,
      crossIpScenarios,
      loginMemoryMs: c.scenarios.loginMemoryMs,
      isIgnored: ignoreFilter(ranges),
      onSignal: (s) => this.onDetected(s),
    });
    const local = c.remediation.enabled ? new LocalDecisions(c.remediation.maxDecisions, stateFiles(c.stateDir).localDecisions) : null;
    this.local = local;
    if (local) await local.load(Date.now());
    const dryRun = c.remediation.dryRun;
    this.outputs = new MergedOutputs(new BlocklistWriter(c.outputs, ranges), () => (local && !dryRun ? local.ips() : []));
    if (c.pull.enabled) {
      this.puller = new BlocklistPuller(api, this.outputs, stateFiles(c.stateDir).blocklist, this.logger);
      await this.puller.load();
      await this.puller.applyCurrent();
    } else if (local && !dryRun) {
      await this.outputs.applyLocal();
    }
    const positions = await loadPositions(c.stateDir);
    for (const log of c.logs) {
      const follower = new FileFollower({
        path: log.path,
        startAt: log.startAt,
        resumeFrom: positions.get(log.path),
        onLines: (lines) => this.onLines(lines, log.format),
        onEvent: (e) => (e.type === 'error' ? this.logger.error('log follower error', { path: e.path, error: e.error.message }) : this.logger.info(`log ${e.type}`, { ...e })),
      });
      this.followers.set(log.path, follower);
      follower.start();
    }
    this.pusher.start();
    const every = (ms: number, fn: () => Promise<unknown>) => this.timers.push(setInterval(() => void fn().catch((e: Error) => this.logger.error('periodic task failed', { error: e.message })), ms));
    every(this.opts.checkpointMs ?? 5000, () => this.checkpoint());
    every(this.opts.tickMs ?? 1000, () => this.tick());
    if (this.puller) {
      void this.pull();
      every(c.pull.intervalMs, () => this.pull());
    }
    this.logger.info('agent started', {
      agentId: this.agentId,
      logs: c.logs.map((l) => l.path),
      scenarios: scenarios.map((s) => s.name),
      crossIpScenarios: crossIpScenarios.map((s) => s.name),
      remediation: c.remediation.enabled ? (dryRun ? 'dry-run' : 'on') : 'off',
      outputs: c.outputs.map((o) => o.path),
    });
  }

  private onLines(lines: string[], format: AgentConfig['logs'][number]['format']): void {
    const now = Date.now();
    for (const line of lines) this.detector?.processLine(line, format, now);
    this.afterDetection();
  }

  /** A signal: reported (spool, push) and, unless its address logged in lately, blocked locally at once. */
  private onDetected(s: Signal): void {
    this.pending.push(s);
    const local = this.local;
    if (!local) return;
    if (this.detector?.recentlyLoggedIn(s.ip)) {
      this.remediationCounts.skippedRecentLogin++;
      this.logger.info('local decision skipped: the address logged in successfully lately', { ip: s.ip, scenario: s.scenario });
      return;
    }
    const duration = this.config.remediation.durationsMs[s.scenario] ?? this.config.remediation.durationMs;
    if (local.add(s.ip, s.scenario, Date.now(), duration)) {
      this.localAdded++;
      this.remediationCounts.decided++;
      this.logger.debug(this.config.remediation.dryRun ? 'local decision (dry run)' : 'local decision', { ip: s.ip, scenario: s.scenario, durationMs: duration });
    }
  }

  /** Periodic: pending evidence of a quiet log (log time = wall clock here), expiry of local decisions. */
  private async tick(): Promise<void> {
    const now = Date.now();
    this.detector?.tick(now);
    const expired = this.local?.expire(now) ?? 0;
    this.remediationCounts.expired += expired;
    this.afterDetection(expired);
  }

  private afterDetection(expired = 0): void {
    if (this.localAdded > 0 || expired > 0) {
      const added = this.localAdded;
      this.localAdded = 0;
      void this.applyLocal(added, expired);
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.spoolChain = this.spoolChain
      .then(() => this.spool?.append(batch))
      .then(() => this.pusher?.notify())
      .catch((e: Error) => this.logger.error('spool append failed: signals lost', { error: e.message, signals: batch.length }));
  }

  private async applyLocal(added: number, expired: number): Promise<void> {
    const local = this.local;
    if (!local || !this.outputs) return;
    const decisions = local.size;
    if (this.config.remediation.dryRun) {
      this.logger.info('local decisions (dry run: outputs unchanged)', { added, expired, decisions });
      return;
    }
    try {
      const { results } = await this.outputs.applyLocal();
      this.remediationCounts.applies++;
      this.remediationCounts.lastAppliedAt = new Date().toISOString();
      this.remediationCounts.lastError = null;
      const failed = results.filter((o) => o.error || (o.hook && o.hook.exitCode !== 0));
      for (const o of failed) this.logger.error('blocklist output failed', { path: o.path, error: o.error, hook: o.hook });
      this.logger.info('local decisions applied', { added, expired, decisions, entries: results[0]?.entries ?? 0 });
      await local.save();
    } catch (e) {
      this.remediationCounts.lastError = (e as Error).message;
      this.logger.error('local decisions not applied', { error: (e as Error).message });
    }
  }

  private async pull(): Promise<void> {
    if (!this.puller || this.pulling) return;
    this.pulling = true;
    try {
      const r = await this.puller.pull();
      this.lastPull = { at: new Date().toISOString(), error: null, mode: r.mode };
      if (r.changed) this.logger.info('blocklist applied', { version: r.version, entries: r.entries, mode: r.mode });
    } catch (e) {
      this.lastPull = { ...this.lastPull, error: (e as Error).message };
      this.logger.warn('blocklist pull failed', { error: (e as Error).message });
      await this.puller.expireNow();
    } finally {
      this.pulling = false;
    }
  }

  /**
   * Positions are taken first (synchronously, so every line before them has gone through the detector
   * and its signals are in the spool chain), then saved once that chain is durable: a crash can make
   * lines be read twice, never lose their signals.
   */
  async checkpoint(): Promise<void> {
    const snapshot = new Map<string, FollowPosition>();
    for (const [path, f] of this.followers) {
      const p = f.position();
      if (p) snapshot.set(path, p);
    }
    await this.spoolChain;
    const positions = await loadPositions(this.config.stateDir);
    for (const [path, p] of snapshot) positions.set(path, p);
    await savePositions(this.config.stateDir, positions);
    await writeFileAtomic(this.config.statusFile, `${JSON.stringify(this.status(), null, 2)}\n`, 0o644);
  }

  status(): Record<string, unknown> {
    return {
      pid: process.pid,
      host: hostname(),
      agentId: this.agentId,
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      detector: this.detector?.stats() ?? null,
      spool: this.spool?.stats() ?? null,
      push: this.pusher?.stats() ?? null,
      blocklist: this.puller ? { version: this.puller.currentVersion, entries: this.puller.size, lastPull: this.lastPull } : null,
      remediation: this.local ? { dryRun: this.config.remediation.dryRun, decisions: this.local.size, ...this.remediationCounts } : null,
      logs: [...this.followers].map(([path, f]) => ({ path, position: f.position(), droppedLines: f.droppedLines })),
    };
  }

  /** Stops reading, spools what was detected, saves positions, tries one last push, closes. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([...this.followers.values()].map((f) => f.stop()));
    await this.checkpoint();
    await this.outputs?.settled();
    await this.local?.save().catch((e: Error) => this.logger.error('local decisions not saved', { error: e.message }));
    if (this.pusher) {
      await this.pusher.stop();
      if ((this.spool?.pendingCount ?? 0) > 0) await this.pusher.step(true).catch(() => undefined);
    }
    await this.spool?.close();
    await writeFileAtomic(this.config.statusFile, `${JSON.stringify({ ...this.status(), stoppedAt: new Date().toISOString() }, null, 2)}\n`, 0o644);
    this.logger.info('agent stopped', { agentId: this.agentId });
  }
}
