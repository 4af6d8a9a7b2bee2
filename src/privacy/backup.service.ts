import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { backupKey, encryptStream } from './backup-crypto.js';
import { libpqUrl, restoreBackup, verifyBackup } from './backup-restore.js';
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
  verify(file: string): Promise<void> {
    return verifyBackup(file, this.config.privacy.pseudonymSecret);
  }

  /** See restoreBackup (backup-restore.ts). */
  restore(file: string, databaseUrl: string): Promise<void> {
    return restoreBackup(file, databaseUrl, this.config.privacy.pseudonymSecret);
  }
}
