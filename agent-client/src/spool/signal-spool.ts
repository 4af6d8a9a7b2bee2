import { type FileHandle, open, readFile, rename, rm, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { Signal } from '../detect/signal.js';
import { fsyncDir } from '../util/fsync-dir.js';
import { parseSpoolLine, spoolLine } from './spool-record.js';

export interface SpoolOptions {
  /** Compact once acknowledged records outnumber live ones and are at least this many. */
  compactMinDead?: number;
  /** Beyond this many unsent signals the oldest are dropped (recorded as such). */
  maxPending?: number;
}

export interface SpoolStats {
  pending: number;
  deadRecords: number;
  fileBytes: number;
  /** Lines skipped on open: a torn tail after a crash, or corruption. */
  skippedLines: number;
  dropped: number;
  compactions: number;
}

/**
 * Append-only, fsync'd JSON-lines spool of signals waiting to be pushed. A signal is appended once per
 * uuid and leaves the pending set only when a batch containing it is acknowledged, so signals survive
 * restarts and outages; the server keeps one signal per (agent, uuid), which makes a resend after a
 * crash between "server said OK" and "ack written" harmless. A torn last line (crash mid-write) is cut
 * off on open, before anything new is appended after it.
 */
export class SignalSpool {
  private readonly pending = new Map<string, Signal>();
  private readonly acked = new Set<string>();
  private deadRecords = 0;
  private fileBytes = 0;
  private skippedLines = 0;
  private dropped = 0;
  private compactions = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly compactMinDead: number;
  private readonly maxPending: number;

  private constructor(
    readonly path: string,
    private fh: FileHandle,
    opts: SpoolOptions,
  ) {
    this.compactMinDead = opts.compactMinDead ?? 1000;
    this.maxPending = opts.maxPending ?? 100_000;
  }

  static async open(path: string, opts: SpoolOptions = {}): Promise<SignalSpool> {
    await rm(`${path}.compact`, { force: true });
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      bytes = Buffer.alloc(0);
    }
    const complete = bytes.lastIndexOf(10) + 1;
    if (complete < bytes.length) await truncate(path, complete);
    const fh = await open(path, 'a', 0o600);
    const spool = new SignalSpool(path, fh, opts);
    spool.replay(bytes.subarray(0, complete).toString('utf8'));
    if (complete < bytes.length) spool.skippedLines++;
    spool.fileBytes = complete;
    return spool;
  }

  private replay(text: string): void {
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      const r = parseSpoolLine(line);
      if (r === null) {
        this.skippedLines++;
      } else if (r.t === 's') {
        if (this.acked.has(r.s.uuid)) this.deadRecords++;
        else this.pending.set(r.s.uuid, r.s);
      } else {
        this.deadRecords++;
        for (const u of r.u) {
          if (r.r === 'dropped') this.dropped++;
          if (this.pending.delete(u)) this.deadRecords++;
          this.acked.add(u);
        }
      }
    }
  }

  stats(): SpoolStats {
    return {
      pending: this.pending.size,
      deadRecords: this.deadRecords,
      fileBytes: this.fileBytes,
      skippedLines: this.skippedLines,
      dropped: this.dropped,
      compactions: this.compactions,
    };
  }

  /** The oldest unacknowledged signals, in the order they were appended. */
  peek(limit: number): Signal[] {
    const out: Signal[] = [];
    for (const s of this.pending.values()) {
      if (out.length >= limit) break;
      out.push(s);
    }
    return out;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Durably records new signals (one write + fsync); uuids already known are ignored. */
  append(signals: readonly Signal[]): Promise<number> {
    return this.serial(async () => {
      const seen = new Set<string>();
      const fresh = signals.filter((s) => {
        const known = seen.has(s.uuid) || this.pending.has(s.uuid) || this.acked.has(s.uuid);
        seen.add(s.uuid);
        return !known;
      });
      if (fresh.length === 0) return 0;
      await this.write(fresh.map((s) => spoolLine({ t: 's', s })).join(''));
      for (const s of fresh) this.pending.set(s.uuid, s);
      if (this.pending.size > this.maxPending) await this.dropOldest(this.pending.size - this.maxPending);
      return fresh.length;
    });
  }

  /**
   * Durably marks signals as done: delivered, or given up (`dropped`: refused by the server one by
   * one). Either way peek() never returns them again.
   */
  acknowledge(uuids: readonly string[], dropped = false): Promise<number> {
    return this.serial(async () => {
      const known = [...new Set(uuids)].filter((u) => this.pending.has(u));
      if (known.length === 0) return 0;
      await this.write(spoolLine(dropped ? { t: 'a', u: known, r: 'dropped' } : { t: 'a', u: known }));
      this.forget(known);
      if (dropped) this.dropped += known.length;
      if (this.deadRecords >= this.compactMinDead && this.deadRecords > this.pending.size) await this.compactNow();
      return known.length;
    });
  }

  /** Rewrites the file with only the pending signals (temp file, fsync, rename, fsync dir). */
  compact(): Promise<void> {
    return this.serial(() => this.compactNow());
  }

  close(): Promise<void> {
    return this.serial(() => this.fh.close());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    try {
      for (let done = 0; done < buf.length; ) done += (await this.fh.write(buf, done)).bytesWritten;
      await this.fh.datasync();
    } catch (e) {
      // a short write (disk full) must not leave half a line for the next record to be glued to
      await this.fh.truncate(this.fileBytes).catch(() => undefined);
      throw e;
    }
    this.fileBytes += buf.length;
  }

  private forget(uuids: readonly string[]): void {
    this.deadRecords++;
    for (const u of uuids) {
      this.pending.delete(u);
      this.acked.add(u);
      this.deadRecords++;
    }
  }

  private async dropOldest(count: number): Promise<void> {
    const victims = [...this.pending.keys()].slice(0, count);
    await this.write(spoolLine({ t: 'a', u: victims, r: 'dropped' }));
    this.forget(victims);
    this.dropped += victims.length;
  }

  private async compactNow(): Promise<void> {
    const tmp = `${this.path}.compact`;
    const text = [...this.pending.values()].map((s) => spoolLine({ t: 's', s })).join('');
    const out = await open(tmp, 'w', 0o600);
    try {
      await out.write(text);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.path);
    await fsyncDir(dirname(this.path));
    await this.fh.close();
    this.fh = await open(this.path, 'a', 0o600);
    this.fileBytes = Buffer.byteLength(text);
    this.deadRecords = 0;
    this.acked.clear();
    this.compactions++;
  }
}
