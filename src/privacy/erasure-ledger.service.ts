import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ERASURE_KINDS, type ErasureEntry, type ErasureKind, ErasureLedgerRepository } from './erasure-ledger.repository.js';

export const LEDGER_FILE = 'erasure-ledger.jsonl';

interface LedgerLine {
  kind: ErasureKind;
  subject: string;
  erased_at: string;
}

/**
 * The erasure ledger (GDPR R13): every erasure, by keyed hash only, in the `erasure_ledger` table and,
 * when backups are on, appended (fsync'd) to `erasure-ledger.jsonl` beside them. A restored database
 * carries the ledger as it was when the backup was taken; the file has every later erasure, so the
 * replay after a restore (ledger-replay.service.ts) reads both.
 */
@Injectable()
export class ErasureLedgerService {
  constructor(
    private readonly repository: ErasureLedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get file(): string | null {
    const dir = this.config.privacy.backup.dir;
    return dir ? join(dir, LEDGER_FILE) : null;
  }

  async record(entries: readonly ErasureEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // The file first: an erasure the database forgets in a crash is still replayed from it.
    const file = this.file;
    if (file) {
      await mkdir(this.config.privacy.backup.dir, { recursive: true });
      const handle = await open(file, 'a', 0o600);
      try {
        await handle.write(entries.map((e) => JSON.stringify(toLine(e)) + '\n').join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await this.repository.record(entries);
  }

  /** The union of the table and the file (the file may be absent: backups off, or a fresh directory). */
  async entries(): Promise<ErasureEntry[]> {
    const byKey = new Map<string, ErasureEntry>();
    for (const e of [...(await this.repository.all()), ...(await this.fromFile())]) {
      const key = `${e.kind}:${e.subject}`;
      const seen = byKey.get(key);
      if (!seen || seen.erasedAt < e.erasedAt) byKey.set(key, e);
    }
    return [...byKey.values()].sort((a, b) => a.erasedAt.getTime() - b.erasedAt.getTime());
  }

  /** Drops entries older than `cutoff` from both copies (no backup predates them any more). */
  async prune(cutoff: Date): Promise<number> {
    const deleted = await this.repository.deleteBefore(cutoff);
    const file = this.file;
    if (file) {
      const kept = (await this.fromFile()).filter((e) => e.erasedAt >= cutoff);
      await writeFile(`${file}.tmp`, kept.map((e) => JSON.stringify(toLine(e)) + '\n').join(''), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    }
    return deleted;
  }

  private async fromFile(): Promise<ErasureEntry[]> {
    const file = this.file;
    if (!file) return [];
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: ErasureEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      // A torn last line (crash mid-write) is skipped; its erasure is in the table.
      let parsed: Partial<LedgerLine>;
      try {
        parsed = JSON.parse(line) as Partial<LedgerLine>;
      } catch {
        continue;
      }
      if (!parsed.kind || !ERASURE_KINDS.includes(parsed.kind) || typeof parsed.subject !== 'string' || typeof parsed.erased_at !== 'string') continue;
      out.push({ kind: parsed.kind, subject: parsed.subject, erasedAt: new Date(parsed.erased_at) });
    }
    return out;
  }
}

function toLine(e: ErasureEntry): LedgerLine {
  return { kind: e.kind, subject: e.subject, erased_at: e.erasedAt.toISOString() };
}
