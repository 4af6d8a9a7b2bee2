import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { AgentsModule } from '../agents/agents.module.js';
import { CoreModule } from '../app/core.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../common/auth/auth.module.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { type AppConfig, loadConfigFromProcess } from '../config/app-config.js';
import { restoreBackup } from './backup-restore.js';
import { BackupService } from './backup.service.js';
import { LedgerReplayService } from './ledger-replay.service.js';
import { PrivacyModule } from './privacy.module.js';

export const BACKUP_USAGE = `Usage:
  quorum backup now                 write an encrypted backup to QUORUM_BACKUP_DIR now (and rotate)
  quorum backup verify <file>       check a backup's integrity (AES-GCM tag) without restoring it
  quorum backup restore <file>      restore into DATABASE_URL (objects replaced), then replay the erasure ledger
  quorum backup replay              replay the erasure ledger on DATABASE_URL (after any restore)
`;

@Module({})
class BackupCliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return { module: BackupCliModule, imports: [CoreModule.forRoot(config, logger, 'cli'), AuthModule, AuditModule, AgentsModule, PrivacyModule] };
  }
}

/** `quorum backup ...` (GDPR R13, docs/privacy.md "Backups and restore"). */
export async function backupCommand(args: string[]): Promise<number> {
  const [verb, file] = args;
  if (!['now', 'verify', 'restore', 'replay'].includes(verb ?? '') || ((verb === 'verify' || verb === 'restore') && !file)) {
    process.stderr.write(BACKUP_USAGE);
    return 1;
  }
  const config = loadConfigFromProcess();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const open = () => NestFactory.createApplicationContext(BackupCliModule.forRoot(config, createRootLogger('warn')), { logger: false, abortOnError: false });
  if (verb === 'restore') {
    // No application on the database while it is replaced; the ledger replay runs on the restored one.
    await restoreBackup(file as string, config.database.url, config.privacy.pseudonymSecret);
    out(`restored ${file}`);
  }
  const app = await open();
  try {
    if (verb === 'now') {
      const report = await app.get(BackupService).backup();
      out(`backup ${report.file} (${report.bytes} bytes); deleted ${report.deleted.length} expired; ledger entries pruned ${report.ledgerPruned}`);
    } else if (verb === 'verify') {
      await app.get(BackupService).verify(file as string);
      out(`backup ${file} is intact`);
    } else {
      const report = await app.get(LedgerReplayService).replay();
      out(`erasure ledger replayed: ${JSON.stringify(report)}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}
