import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ConsensusRuntime, type RuntimeOptions } from '../consensus-runtime.js';
import { ConsensusSnapshotRepository, type SnapshotRow } from './consensus-snapshot.repository.js';
import { engineCompat, paramsHash } from './engine-compat.js';
import { captureRuntime, type RuntimeCapture } from './runtime-capture.js';
import { decodeSnapshot, encodeSnapshot, FORMAT_VERSION, READABLE_FORMATS, SNAPSHOT_FORMAT, type SnapshotCursor, SnapshotRejected } from './snapshot-codec.js';

/** An incomplete snapshot this old was left by a writer that died. */
const ABANDONED_AFTER_MS = 3_600_000;

export interface SavedSnapshot {
  id: bigint;
  rawBytes: number;
  bytes: number;
  chunks: number;
  captureMs: number;
  totalMs: number;
}

export interface RestoredSnapshot {
  runtime: ConsensusRuntime;
  cursor: SnapshotCursor;
  snapshotId: bigint;
  bytes: number;
  ms: number;
}

/** What a restore must match: the stored cursor and the replay horizon of this worker. */
export interface RestoreBounds {
  cursor: { lastSignalId: bigint; generation: bigint };
  /** Snapshots whose run is older than this (epoch ms) cannot be continued by a tail replay. */
  horizonMs: number;
}

/**
 * Writes and reads snapshots of the worker's consensus runtime (docs/scaling.md, "Snapshots and
 * fail-over"). A snapshot is taken inside the scoring lock right after a run, so it matches the cursor
 * and generation that run stored; restoring it and replaying only the signals after its cursor gives
 * the engine a full replay would build, in a fraction of the time. Any doubt (another format or engine
 * version, other parameters, a checksum or count mismatch, a cursor ahead of the stored one, a run
 * older than the replay horizon) rejects the snapshot, and the caller falls back to a full replay.
 */
@Injectable()
export class ConsensusSnapshots {
  private readonly logger = new Logger('ConsensusSnapshots');
  /** When this worker's runtime was last saved or restored from a snapshot (epoch ms); null = never. */
  private lastSavedAt: number | null = null;
  /** The snapshot being compressed and written, if any. */
  private writing: Promise<unknown> | null = null;

  constructor(
    private readonly repository: ConsensusSnapshotRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.consensus.snapshotEveryMinutes > 0;
  }

  /** The parameters a runtime of this worker is built with (what a snapshot's hash must equal). */
  runtimeParams(): Readonly<Record<string, unknown>> {
    return { ...this.config.consensus.params, tickMs: this.config.consensus.tickMs };
  }

  /** A scheduled snapshot is due: none taken or restored by this worker yet, or the last is older than the interval. */
  isDue(nowMs: number): boolean {
    if (!this.enabled) return false;
    return this.lastSavedAt === null || nowMs - this.lastSavedAt >= this.config.consensus.snapshotEveryMinutes * 60_000;
  }

  /**
   * Saves `runtime`, which must be exactly the state after the run that stored `cursor` (the caller
   * holds the scoring lock). The state is copied synchronously (`captureRuntime`: typed-array copies
   * of the engine's columns, no record per IP), so the scoring lock is held only for that copy; the
   * per-IP records are built, compressed and written in the background unless `wait` (graceful
   * shutdown, tests), and a snapshot still being written makes the next scheduled one wait its turn.
   * Resolves with the written snapshot when waited for, else with null once the copy is taken.
   */
  async save(runtime: ConsensusRuntime, cursor: SnapshotCursor, wait = false): Promise<SavedSnapshot | null> {
    if (!this.enabled) return null;
    if (this.writing) {
      if (!wait) return null;
      await this.idle();
    }
    const started = Date.now();
    const capture = captureRuntime(runtime);
    const captureMs = Date.now() - started;
    const previous = this.lastSavedAt;
    this.lastSavedAt = cursor.runAt;
    const writing = this.write(capture, cursor, started, captureMs).catch((error: unknown) => {
      this.lastSavedAt = previous;
      this.logger.warn(`consensus snapshot not saved: ${(error as Error).message}`);
      return null;
    });
    this.writing = writing.finally(() => {
      this.writing = null;
    });
    return wait ? writing : null;
  }

  /** Resolves when no snapshot is being written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async write(capture: RuntimeCapture, cursor: SnapshotCursor, started: number, captureMs: number): Promise<SavedSnapshot> {
    const ipCount = capture.ips.size;
    const compat = engineCompat();
    const hash = paramsHash(this.runtimeParams());
    const id = await this.repository.begin({
      generation: cursor.generation,
      lastSignalId: cursor.lastSignalId,
      runAt: new Date(cursor.runAt),
      formatVersion: FORMAT_VERSION,
      engineVersion: compat.engineVersion,
      paramsHash: hash,
    });
    try {
      const done = await encodeSnapshot(
        capture,
        { format: SNAPSHOT_FORMAT, formatVersion: FORMAT_VERSION, engineVersion: compat.engineVersion, shape: compat.shape, paramsHash: hash, cursor },
        (chunk, seq) => this.repository.addChunk(id, seq, chunk),
      );
      await this.repository.finish(id, done);
      const pruned = await this.repository.prune(this.config.consensus.snapshotKeep, new Date(Date.now() - ABANDONED_AFTER_MS));
      const totalMs = Date.now() - started;
      this.logger.log(
        `consensus snapshot ${id} saved at generation ${cursor.generation}: ${ipCount} IPs, ` +
          `${done.bytes} bytes (${done.rawBytes} raw) in ${totalMs} ms (capture ${captureMs} ms)${pruned > 0 ? `, ${pruned} old removed` : ''}`,
      );
      return { id, rawBytes: done.rawBytes, bytes: done.bytes, chunks: done.chunks, captureMs, totalMs };
    } catch (error) {
      await this.repository.discard(id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The newest snapshot this worker can continue from, restored into a runtime built with `options`;
   * null when there is none (the caller replays everything). Older snapshots are tried when a newer
   * one is rejected.
   */
  async restoreNewest(options: RuntimeOptions, bounds: RestoreBounds): Promise<RestoredSnapshot | null> {
    if (!this.enabled) return null;
    const compat = engineCompat();
    const hash = paramsHash(this.runtimeParams());
    for (const row of await this.repository.newest(this.config.consensus.snapshotKeep + 2)) {
      const reason = rowProblem(row, compat.engineVersion, hash, bounds);
      if (reason !== null) {
        this.logger.warn(`consensus snapshot ${row.id} not used: ${reason}`);
        continue;
      }
      const started = Date.now();
      try {
        let decodedAt = 0;
        const { header, result: runtime } = await decodeSnapshot(
          row.formatVersion,
          this.repository.chunks(row.id),
          (h) => {
            if (h.formatVersion !== row.formatVersion) return `format version ${h.formatVersion} in a row of format ${row.formatVersion}`;
            if (h.engineVersion !== compat.engineVersion || h.shape !== compat.shape) return `engine format ${h.engineVersion}/${h.shape}, this build writes ${compat.engineVersion}/${compat.shape}`;
            if (h.paramsHash !== hash) return 'written with other consensus parameters';
            if (h.cursor.generation !== row.generation || h.cursor.lastSignalId !== row.lastSignalId) return 'header and row disagree on the cursor';
            return null;
          },
          row.sha256,
          (h) => {
            // Records go into the engine as they are read: the IPs are never all held apart from it.
            const restore = ConsensusRuntime.restoring(options, h.engine);
            return { ...restore, finish: () => ((decodedAt = Date.now()), restore.finish()) };
          },
        );
        this.lastSavedAt = header.cursor.runAt;
        const ms = Date.now() - started;
        this.logger.log(
          `consensus engine restored from snapshot ${row.id} (generation ${row.generation}, ${header.counts.ips} IPs, ${row.bytes} bytes) in ${ms} ms ` +
            `(read, decode and IPs ${decodedAt - started} ms, the rest ${ms - (decodedAt - started)} ms)`,
        );
        return { runtime, cursor: header.cursor, snapshotId: row.id, bytes: row.bytes, ms };
      } catch (error) {
        const why = error instanceof SnapshotRejected ? error.message : `restore failed: ${(error as Error).message}`;
        this.logger.warn(`consensus snapshot ${row.id} not used: ${why}`);
      }
    }
    return null;
  }

  /** Snapshots currently stored (complete), newest first. */
  stored(limit = 50): Promise<SnapshotRow[]> {
    return this.repository.newest(limit);
  }
}

function rowProblem(row: SnapshotRow, engineVersion: number, hash: string, bounds: RestoreBounds): string | null {
  if (!READABLE_FORMATS.includes(row.formatVersion)) return `format version ${row.formatVersion}, this build reads ${READABLE_FORMATS.join(' and ')}`;
  if (row.engineVersion !== engineVersion) return `engine snapshot version ${row.engineVersion}, this build writes ${engineVersion}`;
  if (row.paramsHash !== hash) return 'written with other consensus parameters';
  if (row.generation > bounds.cursor.generation || row.lastSignalId > bounds.cursor.lastSignalId) return 'ahead of the stored cursor (database restored from an older backup?)';
  if (row.runAt.getTime() < bounds.horizonMs) return 'older than the replay horizon';
  return null;
}
