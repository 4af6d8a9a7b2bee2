import type { KeyObject } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';

import type { FetchLike } from '../http/http-request.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import type { Logger } from '../util/logger.js';
import { MirrorTable } from './mirror-table.js';
import { type DecodedFrame, decodeFrame, FRAME_DELTA, MirrorFrameError, mirrorPublicKey, splitFrames } from './mirror-wire.js';

export interface MirrorClientOptions {
  /** service base URL */
  server: string;
  /** API key with the `mirror` scope, on a plan with the mirror */
  apiKey: string;
  /** pinned feed key (raw 32 bytes, base64); else the key stored in `stateDir`, else fetched once and stored (trust on first use) */
  publicKey?: string;
  /** where the last good snapshot, its deltas and the pinned key are kept (none: memory only) */
  stateDir?: string;
  /** this mirror's id for the service's meter (1-64 of A-Z a-z 0-9 . _ : -) */
  mirrorId?: string;
  /** long-poll wait per delta request, seconds (0-30, default 25) */
  waitSeconds?: number;
  /** request timeout on top of the wait (default 15 s) */
  timeoutMs?: number;
  fetchImpl?: FetchLike;
  logger?: Logger;
  nowMs?: () => number;
  /** retry delays after a failure: doubled from min up to max (default 1 s to 60 s) */
  backoffMs?: { min: number; max: number };
}

export interface MirrorStats {
  snapshots: number;
  deltas: number;
  /** frames refused (bad signature, malformed, not continuing the copy) */
  refused: number;
  /** bytes received for frames */
  bytes: number;
  /** when the service last confirmed the copy was current (local clock, epoch ms; 0 never) */
  currentAtMs: number;
  lastError: string | null;
}

export type SyncOutcome = 'snapshot' | 'deltas' | 'current';

/** A refusal of the service the client cannot fix by retrying soon (key, scope, plan). */
export class MirrorAccessError extends Error {
  override readonly name = 'MirrorAccessError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SNAPSHOT_FILE = 'mirror-snapshot.qmr';
const DELTAS_FILE = 'mirror-deltas.qmr';
const KEY_FILE = 'mirror-public-key';
const COMPACT_AFTER_BYTES = 4 << 20;

/**
 * Keeps a local, verified copy of the service's scored index (docs/agent.md "Local mirror"): a
 * snapshot, then delta frames by long poll. Every frame is verified with the pinned Ed25519 key; a
 * frame that fails is refused and the last good copy keeps answering. The copy survives restarts
 * (snapshot + deltas files, verified again at load) and resumes from its version after an offline
 * period; when the service no longer has the deltas it needs (410), it takes a snapshot.
 */
export class MirrorClient {
  readonly table = new MirrorTable();
  readonly stats: MirrorStats = { snapshots: 0, deltas: 0, refused: 0, bytes: 0, currentAtMs: 0, lastError: null };
  private key: KeyObject | null = null;
  private readonly server: string;
  private readonly now: () => number;
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private snapshotBytes = 0;
  private deltaFileBytes = 0;
  private wantSnapshot = false;
  private loadedWaiters: Array<() => void> = [];

  constructor(private readonly o: MirrorClientOptions) {
    this.server = o.server.replace(/\/+$/, '');
    this.now = o.nowMs ?? Date.now;
  }

  /** ms since the service last confirmed this copy current (Infinity before the first sync). */
  staleMs(): number {
    return this.stats.currentAtMs === 0 ? Infinity : Math.max(0, this.now() - this.stats.currentAtMs);
  }

  /** Resolves once the table holds a copy (from disk or the service). */
  whenLoaded(): Promise<void> {
    if (this.table.loaded) return Promise.resolve();
    return new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  /** Loads the stored copy (if any), then syncs in the background until `stop`. */
  async start(): Promise<void> {
    await this.pinKey();
    await this.loadStored();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const min = this.o.backoffMs?.min ?? 1_000;
    const max = this.o.backoffMs?.max ?? 60_000;
    let delay = min;
    while (!this.stopped) {
      try {
        await this.syncOnce();
        delay = min;
      } catch (e) {
        if (this.stopped) return;
        const error = e as Error;
        this.stats.lastError = error.message;
        this.o.logger?.warn('mirror sync failed; the last good copy keeps answering', { error: error.message, version: this.table.version });
        await this.sleep(error instanceof MirrorAccessError ? max : delay);
        delay = Math.min(max, delay * 2);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async request(path: string, waitMs: number): Promise<Response> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(waitMs + (this.o.timeoutMs ?? 15_000))]);
    const headers: Record<string, string> = { 'x-api-key': this.o.apiKey, accept: 'application/vnd.quorum.mirror' };
    if (this.o.mirrorId) headers['x-quorum-mirror-id'] = this.o.mirrorId;
    return (this.o.fetchImpl ?? fetch)(`${this.server}${path}`, { headers, signal, redirect: 'error' });
  }

  private async refusal(res: Response): Promise<Error> {
    const text = await res.text().catch(() => '');
    let message = `HTTP ${res.status}`;
    try {
      const body = JSON.parse(text) as { code?: string; message?: string };
      message = `HTTP ${res.status} ${body.code ?? ''}: ${body.message ?? ''}`;
    } catch {
      // not JSON
    }
    return res.status === 401 || res.status === 402 || res.status === 403 ? new MirrorAccessError(res.status, message) : new Error(message);
  }

  /** One step: a snapshot when there is no copy (or it must be replaced), else the deltas since its version (long poll). */
  async syncOnce(waitSeconds = this.o.waitSeconds ?? 25): Promise<SyncOutcome> {
    if (!this.key) await this.pinKey();
    if (!this.table.loaded || this.wantSnapshot) return this.syncSnapshot();
    const t = this.table;
    const res = await this.request(`/v1/mirror/deltas?epoch=${t.epoch}&since=${t.version}&wait=${waitSeconds}`, waitSeconds * 1000);
    if (res.status === 204) {
      await res.arrayBuffer();
      this.stats.currentAtMs = this.now();
      return 'current';
    }
    if (res.status === 410) {
      await res.arrayBuffer();
      return this.syncSnapshot();
    }
    if (res.status !== 200) throw await this.refusal(res);
    const body = Buffer.from(await res.arrayBuffer());
    this.stats.bytes += body.length;
    const frames = this.verifiedDeltas(body);
    for (const { frame } of frames) this.table.apply(frame);
    this.stats.deltas += frames.length;
    this.stats.currentAtMs = this.now();
    await this.storeDeltas(frames.map((f) => f.bytes));
    return 'deltas';
  }

  /** Verifies every frame and that they continue the copy, before any is applied (all or nothing). */
  private verifiedDeltas(body: Buffer): Array<{ frame: DecodedFrame; bytes: Buffer }> {
    const key = this.key as KeyObject;
    let version = this.table.version;
    try {
      return splitFrames(body).map((bytes) => {
        const frame = decodeFrame(bytes, key);
        if (frame.kind !== FRAME_DELTA || frame.epoch !== this.table.epoch || frame.from !== version) throw new MirrorFrameError(`frame ${frame.from}→${frame.to} does not continue version ${version}`);
        version = frame.to;
        return { frame, bytes };
      });
    } catch (e) {
      this.stats.refused++;
      throw e;
    }
  }

  private async syncSnapshot(): Promise<SyncOutcome> {
    const res = await this.request('/v1/mirror/snapshot', 0);
    if (res.status !== 200) throw await this.refusal(res);
    const bytes = Buffer.from(await res.arrayBuffer());
    this.stats.bytes += bytes.length;
    let frame: DecodedFrame;
    try {
      frame = decodeFrame(bytes, this.key as KeyObject);
      if (frame.kind === FRAME_DELTA) throw new MirrorFrameError('the snapshot route answered a delta frame');
    } catch (e) {
      this.stats.refused++;
      throw e;
    }
    this.table.apply(frame);
    this.stats.snapshots++;
    this.stats.currentAtMs = this.now();
    this.wantSnapshot = false;
    await this.storeSnapshot(bytes);
    this.loaded();
    return 'snapshot';
  }

  private loaded(): void {
    const waiting = this.loadedWaiters;
    this.loadedWaiters = [];
    for (const resolve of waiting) resolve();
  }

  // ---- the pinned key and the stored copy ----

  private async pinKey(): Promise<void> {
    if (this.key) return;
    if (this.o.publicKey) {
      this.key = mirrorPublicKey(this.o.publicKey);
      return;
    }
    const path = this.o.stateDir ? join(this.o.stateDir, KEY_FILE) : null;
    const stored = path ? await readFile(path, 'utf8').catch(() => null) : null;
    if (stored) {
      this.key = mirrorPublicKey(stored);
      return;
    }
    const res = await this.request('/v1/mirror/public-key', 0);
    if (res.status !== 200) throw await this.refusal(res);
    const body = (await res.json()) as { publicKey?: string; keyId?: string };
    if (typeof body.publicKey !== 'string') throw new Error('the service answered no mirror public key');
    this.key = mirrorPublicKey(body.publicKey);
    this.o.logger?.info('mirror: pinned the service key (trust on first use)', { keyId: body.keyId });
    if (path && this.o.stateDir) {
      await mkdir(this.o.stateDir, { recursive: true });
      await writeFileAtomic(path, `${body.publicKey}\n`, 0o644);
    }
  }

  private async loadStored(): Promise<void> {
    const dir = this.o.stateDir;
    if (!dir) return;
    const snapshot = await readFile(join(dir, SNAPSHOT_FILE)).catch(() => null);
    if (!snapshot) return;
    try {
      this.table.apply(decodeFrame(snapshot, this.key as KeyObject));
    } catch (e) {
      this.o.logger?.warn('mirror: the stored snapshot is not valid; fetching a new one', { error: (e as Error).message });
      await rm(join(dir, SNAPSHOT_FILE), { force: true });
      await rm(join(dir, DELTAS_FILE), { force: true });
      return;
    }
    this.snapshotBytes = snapshot.length;
    const deltas = await readFile(join(dir, DELTAS_FILE)).catch(() => null);
    let good = 0;
    if (deltas) {
      // Apply stored deltas up to the first one that fails (a crash mid-append), then drop the rest.
      try {
        for (const bytes of splitFrames(deltas)) {
          this.table.apply(decodeFrame(bytes, this.key as KeyObject));
          good += bytes.length;
        }
      } catch (e) {
        this.o.logger?.warn('mirror: dropped stored deltas past a bad one', { error: (e as Error).message, version: this.table.version });
        await truncate(join(dir, DELTAS_FILE), good);
      }
    }
    this.deltaFileBytes = good;
    this.wantSnapshot = this.deltasOutweighSnapshot();
    this.loaded();
  }

  private async storeSnapshot(bytes: Buffer): Promise<void> {
    const dir = this.o.stateDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, SNAPSHOT_FILE), bytes, 0o600);
    await rm(join(dir, DELTAS_FILE), { force: true });
    this.snapshotBytes = bytes.length;
    this.deltaFileBytes = 0;
  }

  private async storeDeltas(frames: Buffer[]): Promise<void> {
    const dir = this.o.stateDir;
    if (!dir) return;
    const data = Buffer.concat(frames);
    await appendFile(join(dir, DELTAS_FILE), data, { mode: 0o600 });
    this.deltaFileBytes += data.length;
    if (this.deltasOutweighSnapshot()) this.wantSnapshot = true;
  }

  /** Once the stored deltas outweigh the snapshot (and 4 MB), the next sync takes a fresh snapshot (shorter load, smaller files). */
  private deltasOutweighSnapshot(): boolean {
    return this.deltaFileBytes > Math.max(this.snapshotBytes, COMPACT_AFTER_BYTES);
  }
}
