import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import type { ErasureEntry, ErasureLedgerRepository } from './erasure-ledger.repository.js';
import { ErasureLedgerService, LEDGER_FILE } from './erasure-ledger.service.js';

const at = (iso: string) => new Date(`2026-12-${iso}Z`);

/** The erasure_ledger table in memory: one row per (kind, subject), keeping the latest time. */
class FakeLedgerRepository {
  readonly rows = new Map<string, ErasureEntry>();
  failing = false;
  async record(entries: readonly ErasureEntry[]) {
    if (this.failing) throw new Error('database down');
    for (const e of entries) {
      const key = `${e.kind}:${e.subject}`;
      const seen = this.rows.get(key);
      if (!seen || seen.erasedAt < e.erasedAt) this.rows.set(key, e);
    }
  }
  async all() {
    return [...this.rows.values()].sort((a, b) => a.erasedAt.getTime() - b.erasedAt.getTime());
  }
  async deleteBefore(cutoff: Date) {
    let deleted = 0;
    for (const [key, e] of this.rows) if (e.erasedAt < cutoff && this.rows.delete(key)) deleted++;
    return deleted;
  }
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function setup(backups: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'quorum-ledger-'));
  dirs.push(root);
  const dir = backups ? join(root, 'backups') : '';
  const repository = new FakeLedgerRepository();
  const config = { privacy: { backup: { dir } } } as unknown as AppConfig;
  const service = new ErasureLedgerService(repository as unknown as ErasureLedgerRepository, config);
  const file = join(root, 'backups', LEDGER_FILE);
  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { service, repository, file, lines };
}

const org = (subject: string, day: string): ErasureEntry => ({ kind: 'organization', subject, erasedAt: at(day) });
const ip = (subject: string, day: string): ErasureEntry => ({ kind: 'ip', subject, erasedAt: at(day) });

describe('ErasureLedgerService', () => {
  it('with backups on, appends each erasure to a private file beside them (creating the directory) and records it in the table', async () => {
    const { service, repository, file, lines } = setup(true);
    await service.record([org('h-org', '01T10:00:00.000'), ip('h-ip', '01T11:00:00.000')]);
    await service.record([ip('h-ip2', '02T09:00:00.000')]);
    expect(lines().map((l) => JSON.parse(l) as object)).toEqual([
      { kind: 'organization', subject: 'h-org', erased_at: '2026-12-01T10:00:00.000Z' },
      { kind: 'ip', subject: 'h-ip', erased_at: '2026-12-01T11:00:00.000Z' },
      { kind: 'ip', subject: 'h-ip2', erased_at: '2026-12-02T09:00:00.000Z' },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(repository.rows.size).toBe(3);
  });

  it('writes the file before the table, so an erasure the database fails to store is still in the file', async () => {
    const { service, repository, lines } = setup(true);
    repository.failing = true;
    await expect(service.record([org('h-org', '01T10:00:00.000')])).rejects.toThrow('database down');
    expect(lines()).toHaveLength(1);
    repository.failing = false;
    expect((await service.entries()).map((e) => e.subject)).toEqual(['h-org']);
  });

  it('with backups off, records in the table only; an empty batch writes nothing', async () => {
    const { service, repository, file } = setup(false);
    await service.record([org('h-org', '01T10:00:00.000')]);
    expect(repository.rows.size).toBe(1);
    expect(() => statSync(file)).toThrow();
    const on = setup(true);
    await on.service.record([]);
    expect(() => statSync(on.file)).toThrow();
  });

  it('lists the union of table and file once per subject, at its latest erasure, oldest first', async () => {
    const { service, repository, file } = setup(true);
    // the table of a restored database: older than the file
    await repository.record([org('h-org', '01T10:00:00.000'), ip('h-ip', '03T10:00:00.000')]);
    await service.record([ip('h-new', '02T10:00:00.000')]);
    // the file: a later erasure the restored table lost, and an earlier one the table has a newer time for
    appendFileSync(file, JSON.stringify({ kind: 'organization', subject: 'h-org', erased_at: '2026-12-04T10:00:00.000Z' }) + '\n');
    appendFileSync(file, JSON.stringify({ kind: 'ip', subject: 'h-ip', erased_at: '2026-12-01T08:00:00.000Z' }) + '\n');
    expect((await service.entries()).map((e) => `${e.kind} ${e.subject} ${e.erasedAt.toISOString()}`)).toEqual([
      'ip h-new 2026-12-02T10:00:00.000Z',
      'ip h-ip 2026-12-03T10:00:00.000Z',
      'organization h-org 2026-12-04T10:00:00.000Z',
    ]);
    // the same subject under another kind is another erasure
    await service.record([{ kind: 'ip_address', subject: 'h-ip', erasedAt: at('05T10:00:00.000') }]);
    expect(await service.entries()).toHaveLength(4);
  });

  it('skips a torn last line, unknown kinds and lines missing a field, and reads a missing file as empty', async () => {
    const { service, file } = setup(true);
    expect(await service.entries()).toEqual([]);
    await service.record([ip('h-ip', '01T10:00:00.000')]);
    appendFileSync(
      file,
      [
        JSON.stringify({ kind: 'agent', subject: 'h-agent', erased_at: '2026-12-01T10:00:00.000Z' }),
        JSON.stringify({ kind: 'ip', subject: 7, erased_at: '2026-12-01T10:00:00.000Z' }),
        JSON.stringify({ kind: 'ip', subject: 'h-no-time' }),
        '{"kind":"ip","subject":"h-torn","erased_',
      ].join('\n'),
    );
    expect((await service.entries()).map((e) => e.subject)).toEqual(['h-ip']);
  });

  it('prunes entries older than the cutoff from the table and the file, keeping those at the cutoff', async () => {
    const { service, repository, lines } = setup(true);
    await service.record([ip('h-old', '01T10:00:00.000'), ip('h-edge', '02T10:00:00.000'), ip('h-new', '03T10:00:00.000')]);
    expect(await service.prune(at('02T10:00:00.000'))).toBe(1);
    expect([...repository.rows.values()].map((e) => e.subject)).toEqual(['h-edge', 'h-new']);
    expect(lines().map((l) => (JSON.parse(l) as { subject: string }).subject)).toEqual(['h-edge', 'h-new']);
  });

  it('prunes the table only when backups are off, and writes an empty file when there was none yet', async () => {
    const off = setup(false);
    await off.service.record([ip('h-old', '01T10:00:00.000')]);
    expect(await off.service.prune(at('02T00:00:00.000'))).toBe(1);
    const on = setup(true);
    await on.repository.record([ip('h-old', '01T10:00:00.000')]);
    mkdirSync(join(on.file, '..')); // the backup job prunes after writing a backup there
    expect(await on.service.prune(at('02T00:00:00.000'))).toBe(1);
    expect(readFileSync(on.file, 'utf8')).toBe('');
  });
});
