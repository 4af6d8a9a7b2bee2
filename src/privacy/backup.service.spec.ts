import childProcess, { type SpawnOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import { backupFileName } from './backup-files.js';
import { BackupService } from './backup.service.js';
import type { ErasureLedgerService } from './erasure-ledger.service.js';

const NOW = new Date('2026-12-07T04:00:00.000Z');
const DAY = 86_400_000;
const SECRET = 'pseudonym-secret-for-tests-0123456789';
const DUMP = 'PGDMP fake custom-format dump of the quorum database\n'.repeat(200);

/**
 * Stand-ins for the PostgreSQL client tools, run in their place: `pg_dump` writes a fixed dump (or
 * fails as told by a file), `pg_restore` keeps what it is given; both note their arguments.
 */
function fakeTools(root: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(root, 'dump.txt'), DUMP);
  const script = (body: string) => `#!/bin/sh\necho "$@" > "${root}/$(basename "$0").args"\n${body}\n`;
  writeFileSync(
    join(bin, 'pg_dump'),
    script(`if [ -f "${root}/fail" ]; then echo "pg_dump: error: connection to server failed" >&2; exit 1; fi\ncat "${root}/dump.txt"`),
  );
  writeFileSync(join(bin, 'pg_restore'), script(`cat > "${root}/restored.txt"`));
  chmodSync(join(bin, 'pg_dump'), 0o755);
  chmodSync(join(bin, 'pg_restore'), 0o755);
  return bin;
}

const realSpawn = childProcess.spawn;
let roots: string[] = [];
afterEach(() => {
  jest.restoreAllMocks();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

function setup(backups = true) {
  const root = mkdtempSync(join(tmpdir(), 'quorum-backup-'));
  roots.push(root);
  const bin = fakeTools(root);
  // The service runs the tools by name; only the stand-ins may run here (never a real database client).
  jest.spyOn(childProcess, 'spawn').mockImplementation(((command: string, args: readonly string[], options: SpawnOptions) => {
    if (command !== 'pg_dump' && command !== 'pg_restore') throw new Error(`unexpected command ${command}`);
    return realSpawn(join(bin, command), args, options);
  }) as typeof childProcess.spawn);
  const dir = backups ? join(root, 'backups') : '';
  const pruned: Date[] = [];
  const ledger = { prune: async (cutoff: Date) => (pruned.push(cutoff), 3) } as unknown as ErasureLedgerService;
  const config = {
    database: { url: 'postgresql://quorum:pw@127.0.0.1:1/quorum?schema=public&connection_limit=5&sslmode=disable' },
    privacy: { pseudonymSecret: SECRET, backup: { dir, retentionDays: 35, everyHours: 24 } },
  } as unknown as AppConfig;
  const service = new BackupService(ledger, new FixedClock(NOW), config);
  return { service, root, dir, pruned };
}

describe('BackupService.backup', () => {
  it('writes the dump encrypted under its start time into a private directory, readable back only with the key', async () => {
    const { service, root, dir } = setup();
    const report = await service.backup();
    expect(report.file).toBe(join(dir, 'quorum-20261207T040000Z.dump.enc'));
    expect(readdirSync(dir)).toEqual(['quorum-20261207T040000Z.dump.enc']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(report.file).mode & 0o777).toBe(0o600);
    expect(report.bytes).toBe(statSync(report.file).size);
    expect(readFileSync(report.file).includes('PGDMP')).toBe(false);
    await service.verify(report.file);
    await service.restore(report.file, 'postgresql://quorum:pw@127.0.0.1:1/restored?schema=public');
    expect(readFileSync(join(root, 'restored.txt'), 'utf8')).toBe(DUMP);
  });

  it('passes pg_dump a libpq URL (driver-only parameters dropped, sslmode kept) and the custom format', async () => {
    const { service, root } = setup();
    await service.backup();
    expect(readFileSync(join(root, 'pg_dump.args'), 'utf8').trim()).toBe('--format=custom --no-owner --no-privileges --dbname=postgresql://quorum:pw@127.0.0.1:1/quorum?sslmode=disable');
  });

  it('fails with the tool’s error and leaves no partial file when pg_dump fails', async () => {
    const { service, root, dir, pruned } = setup();
    writeFileSync(join(root, 'fail'), '');
    await expect(service.backup()).rejects.toThrow('pg_dump exited with 1: pg_dump: error: connection to server failed');
    expect(readdirSync(dir)).toEqual([]);
    expect(pruned).toEqual([]);
  });

  it('refuses to restore a file whose content was altered, before pg_restore runs', async () => {
    const { service, root } = setup();
    const { file } = await service.backup();
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 1;
    writeFileSync(file, bytes);
    await expect(service.restore(file, 'postgresql://quorum@127.0.0.1/restored')).rejects.toThrow();
    expect(existsSync(join(root, 'pg_restore.args'))).toBe(false);
  });

  it('is skipped as a job, and refused when called, while backups are off', async () => {
    const { service } = setup(false);
    expect(service.enabled).toBe(false);
    expect(await service.handle()).toBe('skipped');
    await expect(service.backup()).rejects.toThrow('backups are off');
    const on = setup(true);
    expect(await on.service.handle()).toBe('done');
  });
});

describe('BackupService.rotate', () => {
  it('deletes backups past the retention period but never the newest, leaves other files, and prunes the ledger a day before the oldest kept backup', async () => {
    const { service, dir, pruned } = setup();
    mkdirSync(dir);
    const names = [40, 36, 35, 1].map((days) => backupFileName(new Date(NOW.getTime() - days * DAY)));
    for (const name of [...names, 'erasure-ledger.jsonl', 'notes.txt']) writeFileSync(join(dir, name), 'x');
    expect(await service.rotate()).toEqual({ deleted: [names[0], names[1]], ledgerPruned: 3 });
    expect(readdirSync(dir).sort()).toEqual([names[2], names[3], 'erasure-ledger.jsonl', 'notes.txt'].sort());
    expect(pruned).toEqual([new Date(NOW.getTime() - 36 * DAY)]);
  });

  it('keeps the only backup however old, and prunes nothing without any backup', async () => {
    const { service, dir, pruned } = setup();
    mkdirSync(dir);
    const only = backupFileName(new Date(NOW.getTime() - 100 * DAY));
    writeFileSync(join(dir, only), 'x');
    expect(await service.rotate()).toEqual({ deleted: [], ledgerPruned: 3 });
    rmSync(join(dir, only));
    expect(await service.rotate()).toEqual({ deleted: [], ledgerPruned: 0 });
    expect(pruned).toEqual([new Date(NOW.getTime() - 101 * DAY)]);
  });
});
