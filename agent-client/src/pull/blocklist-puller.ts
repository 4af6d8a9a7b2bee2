import { readFile } from 'node:fs/promises';

import type { QuorumApi } from '../http/quorum-api.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import type { BlocklistWriter, OutputResult } from '../output/blocklist-output.js';
import { isRecord } from '../util/json-check.js';
import type { Logger } from '../util/logger.js';

interface SavedState {
  version: number | null;
  etag: string | null;
  /** [value, until ms or null] */
  entries: [string, number | null][];
}

export interface PullResult {
  mode: 'full' | 'delta' | 'not_modified' | 'expired_only';
  version: number | null;
  entries: number;
  changed: boolean;
  outputs: OutputResult[];
}

/**
 * Keeps the local copy of the blocklist: a full download the first time (and after a 410 on a stale
 * cursor), deltas afterwards, both conditional on the last ETag; entries leave at their `until` even
 * when the server is unreachable. The copy is saved (atomically) so a restart resumes with deltas.
 */
export class BlocklistPuller {
  private version: number | null = null;
  private etag: string | null = null;
  private readonly entries = new Map<string, number | null>();

  constructor(
    private readonly api: Pick<QuorumApi, 'fullBlocklist' | 'blocklistChanges'>,
    private readonly writer: Pick<BlocklistWriter, 'apply' | 'needsRetry'>,
    private readonly statePath: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get currentVersion(): number | null {
    return this.version;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Loads the saved copy (a missing or unreadable file means starting from a full download). */
  async load(): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.statePath, 'utf8'));
    } catch {
      return;
    }
    if (!isRecord(raw) || !Array.isArray(raw.entries)) return;
    this.version = typeof raw.version === 'number' ? raw.version : null;
    this.etag = typeof raw.etag === 'string' ? raw.etag : null;
    for (const e of raw.entries) {
      if (Array.isArray(e) && typeof e[0] === 'string') this.entries.set(e[0], typeof e[1] === 'number' ? e[1] : null);
    }
  }

  /** One pull; throws on network or server errors (the caller retries at its next interval). */
  async pull(): Promise<PullResult> {
    let mode: PullResult['mode'] = 'not_modified';
    let changed = false;
    if (this.version !== null) {
      const delta = await this.api.blocklistChanges(this.version, this.etag);
      if (delta.kind === 'ok') {
        mode = 'delta';
        for (const v of delta.removed) changed = this.entries.delete(v) || changed;
        for (const a of delta.added) {
          changed = changed || this.entries.get(a.value) !== a.until;
          this.entries.set(a.value, a.until);
        }
        changed = changed || delta.version !== this.version;
        this.version = delta.version;
        this.etag = delta.etag;
      } else if (delta.kind === 'stale') {
        this.logger.info('blocklist cursor is stale: full download', { since: this.version });
        this.version = null;
        this.etag = null;
      }
    }
    if (this.version === null) {
      const full = await this.api.fullBlocklist(this.etag);
      if (full.kind === 'ok') {
        mode = 'full';
        this.entries.clear();
        for (const i of full.items) this.entries.set(i.value, i.until);
        this.version = full.version;
        this.etag = full.etag;
        changed = true;
      }
    }
    const expired = this.expire();
    if (mode === 'not_modified' && expired) mode = 'expired_only';
    return this.finish(mode, changed || expired);
  }

  /** Drops expired entries and rewrites the outputs if any left; for use when pulls fail. */
  async expireNow(): Promise<PullResult> {
    return this.finish('expired_only', this.expire());
  }

  /** Writes the outputs from the current copy (at start, before the first pull answers). */
  async applyCurrent(): Promise<OutputResult[]> {
    this.expire();
    return (await this.writer.apply(this.entries.keys())).results;
  }

  private expire(): boolean {
    const now = this.now();
    let any = false;
    for (const [value, until] of this.entries) {
      if (until !== null && until <= now) {
        this.entries.delete(value);
        any = true;
      }
    }
    return any;
  }

  private async finish(mode: PullResult['mode'], changed: boolean): Promise<PullResult> {
    let outputs: OutputResult[] = [];
    if (changed || this.writer.needsRetry) {
      outputs = (await this.writer.apply(this.entries.keys())).results;
      if (changed) {
        const state: SavedState = { version: this.version, etag: this.etag, entries: [...this.entries] };
        await writeFileAtomic(this.statePath, JSON.stringify(state), 0o600);
      }
      for (const o of outputs) if (o.error || (o.hook && o.hook.exitCode !== 0)) this.logger.error('blocklist output failed', { path: o.path, error: o.error, hook: o.hook });
    }
    return { mode, version: this.version, entries: this.entries.size, changed, outputs };
  }
}
