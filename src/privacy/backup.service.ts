import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { HEADER_BYTES, TAG_BYTES, backupKey, decryptStream, encryptStream } from './backup-crypto.js';
import { backupFileName, backupsToDelete, oldestBackup } from './backup-files.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';

const DAY_MS = 86_400_000;
/** Ledger entries are kept one day longer than the oldest backup that may need them. */
const LEDGER_MARGIN_MS = DAY_MS;
const STDERR_LIMIT = 4_000;

export interface BackupReport {
  file: string;
  bytes: number;
  deleted: string[];
  ledgerPruned: number;
}

/** libpq accepts a URL; drop Prisma/driver-only query parameters (keep sslmode). */
export function libpqUrl(url: string): string {
  const u = new URL(url);
  for (const name of [...u.searchParams.keys()]) if (name !== 'sslmode') u.searchParams.delete(name);
  return u.toString();
}

/** Runs a PostgreSQL client tool; rejects with its (bounded) stderr when it fails. */
function run(command: string, args: string[], io: { stdin?: AsyncIterable<Buffer>; stdout?: Writable } = {}): Promise<void> {
  const child = spawn(command, args, { stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim().slice(0, STDERR_LIMIT)}`))));
  });
  const flows: Array<Promise<void>> = [exited];
  if (io.stdin && child.stdin) flows.push(pipeline(io.stdin, child.stdin));
  if (io.stdout && child.stdout) flows.push(pipeline(child.stdout, io.stdout));
  return Promise.all(flows).then(() => undefined, (error: Error) => {
    child.kill('SIGTERM');
    throw error;
  });
}

/**
 * GDPR R13: encrypted logical backups. The `privacy-backup` job runs `pg_dump` (custom format) every
 * QUORUM_BACKUP_EVERY_HOURS, encrypts it (AES-256-GCM, backup-crypto.ts) into QUORUM_BACKUP_DIR,
 * deletes backups older than QUORUM_BACKUP_RETENTION_DAYS (never the newest) and prunes the erasure
 * ledger of entries no kept backup predates. `restore` checks a file's tag, then `pg_restore`s it;
 * the erasure ledger is replayed afterwards (ledger-replay.service.ts; docs/privacy.md, "Restore").
 */
@Injectable()
export class BackupService {
  private readonly logger = new Logger('Backup');

  constructor(
    private readonly ledger: ErasureLedgerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.privacy.backup.dir !== '';
  }

  @OnJob(JobName.PrivacyBackup)
  async handle(): Promise<JobOutcome> {
    if (!this.enabled) return 'skipped';
    await this.backup();
    return 'done';
  }

  async backup(now: Date = this.clock.now()): Promise<BackupReport> {
    const dir = this.config.privacy.backup.dir;
    if (!dir) throw new Error('backups are off (QUORUM_BACKUP_DIR is empty)');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = backupFileName(now);
    const target = join(dir, name);
    const partial = `${target}.partial`;
    const key = backupKey(this.config.privacy.pseudonymSecret);
    try {
      const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${libpqUrl(this.config.database.url)}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8');
      });
      const exited = new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code}: ${stderr.trim()}`))));
      });
      await Promise.all([pipeline(encryptStream(key, child.stdout), createWriteStream(partial, { mode: 0o600 })), exited]);
      const handle = await open(partial, 'r');
      await handle.sync().finally(() => handle.close());
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const bytes = (await stat(target)).size;
    const rotated = await this.rotate(now);
    this.logger.log({ file: name, bytes, deleted: rotated.deleted.length }, 'backup written');
    return { file: target, bytes, ...rotated };
  }

  /** Deletes expired backups and the ledger entries no kept backup needs. */
  async rotate(now: Date = this.clock.now()): Promise<{ deleted: string[]; ledgerPruned: number }> {
    const dir = this.config.privacy.backup.dir;
    const names = await readdir(dir);
    const deleted = backupsToDelete(names, now, this.config.privacy.backup.retentionDays);
    for (const name of deleted) await rm(join(dir, name), { force: true });
    const oldest = oldestBackup(names.filter((n) => !deleted.includes(n)));
    const ledgerPruned = oldest ? await this.ledger.prune(new Date(oldest.getTime() - LEDGER_MARGIN_MS)) : 0;
    return { deleted, ledgerPruned };
  }

  /** Authenticates the whole file (AES-GCM tag) without writing anything. */
  async verify(file: string): Promise<void> {
    await pipeline(this.decrypted(file), new Writable({ write: (_chunk, _enc, done) => done() }));
  }

  /**
   * Restores a backup into `databaseUrl` (an empty database, or one whose objects may be replaced:
   * `--clean --if-exists`). The file is authenticated first, so a damaged or forged backup restores nothing.
   */
  async restore(file: string, databaseUrl: string): Promise<void> {
    await this.verify(file);
    await run('pg_restore', ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--exit-on-error', `--dbname=${libpqUrl(databaseUrl)}`], { stdin: this.decrypted(file) });
  }

  private async *decrypted(file: string): AsyncGenerator<Buffer> {
    const size = (await stat(file)).size;
    if (size < HEADER_BYTES + TAG_BYTES) throw new Error('backup file is truncated');
    const handle = await open(file, 'r');
    const header = Buffer.alloc(HEADER_BYTES);
    const tag = Buffer.alloc(TAG_BYTES);
    try {
      await handle.read(header, 0, HEADER_BYTES, 0);
      await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    } finally {
      await handle.close();
    }
    const body = createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 });
    yield* decryptStream(backupKey(this.config.privacy.pseudonymSecret), header, tag, body);
  }
}
