import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCKFILE, readMigrationList, writeMigration } from './migrations-dir.js';

describe('migrations-dir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-migrations-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists nothing for a missing folder', async () => {
    const list = await readMigrationList(join(dir, 'absent'));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile).toEqual({ path: LOCKFILE, content: null });
  });

  it('lists migration folders in name order with their scripts, ignoring loose files', async () => {
    await writeMigration(dir, '20260102000000_second', 'sql', 'SELECT 2;', 'postgresql');
    await writeMigration(dir, '20260101000000_first', 'sql', 'SELECT 1;', 'postgresql');
    await mkdir(join(dir, '20260103000000_empty'));
    await writeFile(join(dir, 'README.md'), 'notes');

    const list = await readMigrationList(dir);
    expect(list.baseDir).toBe(dir);
    expect(list.migrationDirectories.map((m) => [m.path, m.migrationFile.content.tag])).toEqual([
      ['20260101000000_first', 'ok'],
      ['20260102000000_second', 'ok'],
      ['20260103000000_empty', 'error'],
    ]);
    expect(list.migrationDirectories[0]!.migrationFile.content).toEqual({ tag: 'ok', value: 'SELECT 1;' });
    expect(list.lockfile.content).toContain('provider = "postgresql"');
  });

  it('never overwrites an existing migration or lockfile', async () => {
    await writeFile(join(dir, LOCKFILE), 'provider = "postgresql"\n# kept\n');
    await writeMigration(dir, '20260101000000_first', 'sql', 'SELECT 1;', 'postgresql');
    await expect(writeMigration(dir, '20260101000000_first', 'sql', 'SELECT 9;', 'postgresql')).rejects.toThrow(
      /EEXIST/,
    );
    expect(await readFile(join(dir, '20260101000000_first', 'migration.sql'), 'utf8')).toBe('SELECT 1;');
    expect(await readFile(join(dir, LOCKFILE), 'utf8')).toContain('# kept');
  });
});
