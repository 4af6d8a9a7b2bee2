import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

import { LineSplitter } from './line-splitter.js';

/**
 * Where reading stopped: the file's identity and the offset just after the last complete line. Inode
 * numbers are reused once a file is deleted, so the identity also holds a hash of the file's first bytes.
 */
export interface FollowPosition {
  dev: string;
  ino: string;
  offset: number;
  headLength: number;
  headSha256: string;
}

const HEAD_BYTES = 256;

export type FollowerEvent =
  | { type: 'opened'; path: string; offset: number }
  | { type: 'rotated'; path: string }
  | { type: 'truncated'; path: string; size: number }
  | { type: 'missing'; path: string }
  | { type: 'error'; path: string; error: Error };

export interface FileFollowerOptions {
  path: string;
  /** Where to start the first time the file is opened; a file that appears later is read from its start. */
  startAt: 'beginning' | 'end';
  /**
   * Where a previous run stopped. Resumed when the file is still the same one; otherwise the file was
   * rotated meanwhile and is read from its start. Either way startAt only applies without it.
   */
  resumeFrom?: FollowPosition | null;
  onLines: (lines: string[]) => void;
  onEvent?: (event: FollowerEvent) => void;
  pollIntervalMs?: number;
  /** Use fs.watch on the directory to poll as soon as something changes (polling stays the fallback). */
  watch?: boolean;
  chunkBytes?: number;
  maxLineBytes?: number;
}

/**
 * `tail -F` for one path: polls by name, detects rotation by a change of inode (draining the old file
 * first, so lines written just before a rename are not lost) and truncation by the size dropping
 * below the read offset (copytruncate), keeps a partial last line until its newline arrives.
 */
export class FileFollower {
  private fh: FileHandle | null = null;
  private dev = '';
  private ino = '';
  private offset = 0;
  private head = Buffer.alloc(0);
  private openedBefore = false;
  private reportedMissing = false;
  private readonly splitter: LineSplitter;
  private readonly buffer: Buffer;
  private running: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private stopped = true;

  constructor(private readonly opts: FileFollowerOptions) {
    this.splitter = new LineSplitter(opts.maxLineBytes ?? 64 * 1024);
    this.buffer = Buffer.allocUnsafe(opts.chunkBytes ?? 64 * 1024);
  }

  /** Position of the end of the last line delivered (still valid after stop()); null before the file was opened. */
  position(): FollowPosition | null {
    if (!this.openedBefore) return null;
    return {
      dev: this.dev,
      ino: this.ino,
      offset: this.offset - this.splitter.pendingBytes,
      headLength: this.head.length,
      headSha256: createHash('sha256').update(this.head).digest('hex'),
    };
  }

  get droppedLines(): number {
    return this.splitter.dropped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.opts.watch !== false) this.startWatch();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    if (this.running) await this.running.catch(() => 0);
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
  }

  /** One pass, after any pass already running; resolves with the bytes read. */
  poll(): Promise<number> {
    if (this.running) return this.running.then(() => this.poll());
    const run = this.pollOnce().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.poll()
        .catch((error: Error) => this.opts.onEvent?.({ type: 'error', path: this.opts.path, error }))
        .finally(() => {
          const next = this.again ? 0 : (this.opts.pollIntervalMs ?? 1000);
          this.again = false;
          this.schedule(next);
        });
    }, delay);
  }

  private startWatch(): void {
    const name = basename(this.opts.path);
    try {
      this.watcher = watch(dirname(this.opts.path), { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.schedule(0);
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null;
    }
  }

  private async pollOnce(): Promise<number> {
    const st = await stat(this.opts.path, { bigint: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
      throw e;
    });
    let read = 0;
    if (this.fh && (st === null || String(st.ino) !== this.ino || String(st.dev) !== this.dev)) {
      // renamed or deleted: finish the old file before following the new one
      read += await this.drain();
      if (st === null) return read;
      this.splitter.flush(this.opts.onLines);
      await this.fh.close();
      this.fh = null;
      this.opts.onEvent?.({ type: 'rotated', path: this.opts.path });
    }
    if (!this.fh) {
      if (st === null) {
        if (!this.reportedMissing) this.opts.onEvent?.({ type: 'missing', path: this.opts.path });
        this.reportedMissing = true;
        return read;
      }
      await this.openFile();
    }
    return read + (await this.drain());
  }

  private async openFile(): Promise<void> {
    const fh = await open(this.opts.path, 'r');
    const st = await fh.stat({ bigint: true });
    this.fh = fh;
    this.dev = String(st.dev);
    this.ino = String(st.ino);
    this.splitter.reset();
    // a file that was there when following started is read per startAt; one that appeared later is new
    const firstSight = !this.openedBefore && !this.reportedMissing;
    this.reportedMissing = false;
    const size = Number(st.size);
    await this.readHead();
    const resume = this.opts.resumeFrom;
    if (!this.openedBefore && resume && this.isSameFile(resume, size)) {
      this.offset = resume.offset;
    } else if (firstSight && !resume && this.opts.startAt === 'end') {
      this.offset = size;
    } else {
      this.offset = 0;
    }
    this.openedBefore = true;
    this.opts.onEvent?.({ type: 'opened', path: this.opts.path, offset: this.offset });
  }

  private isSameFile(p: FollowPosition, size: number): boolean {
    if (p.dev !== this.dev || p.ino !== this.ino || p.offset > size || p.headLength > this.head.length) return false;
    return createHash('sha256').update(this.head.subarray(0, p.headLength)).digest('hex') === p.headSha256;
  }

  private async readHead(): Promise<void> {
    if (!this.fh) return;
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await this.fh.read(buf, 0, HEAD_BYTES, 0);
    this.head = buf.subarray(0, bytesRead);
  }

  /** Reads the open file from the offset to its current end. */
  private async drain(): Promise<number> {
    const fh = this.fh;
    if (!fh) return 0;
    const size = Number((await fh.stat({ bigint: true })).size);
    if (size < this.offset) {
      this.offset = 0;
      this.splitter.reset();
      this.opts.onEvent?.({ type: 'truncated', path: this.opts.path, size });
    }
    if (this.head.length < HEAD_BYTES && size !== this.head.length) await this.readHead();
    let total = 0;
    // up to the size seen now: a file written faster than it is read still lets the pass end
    while (this.offset < size) {
      const { bytesRead } = await fh.read(this.buffer, 0, this.buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      total += bytesRead;
      this.splitter.push(this.buffer, bytesRead, this.opts.onLines);
    }
    if (total > 0) this.again = true;
    return total;
  }
}
