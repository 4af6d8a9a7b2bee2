import { migrateCommand } from './migrate.command.js';
import { normaliseMigrationName } from './migrate.js';

describe('migrateCommand argument handling', () => {
  const url = 'postgresql://postgres@127.0.0.1:1/never_used';
  const run = async (argv: string[], databaseUrl: string | undefined = url) => {
    const errors: string[] = [];
    const code = await migrateCommand(argv, databaseUrl, { log: () => undefined, error: (m) => errors.push(m) });
    return { code, errors };
  };

  it.each([
    [['migrate', 'extra']],
    [['migrate-dev']],
    [['migrate-dev', 'a', 'b']],
    [['migrate', '--accept-data-loss']],
    [['migrate-dev', 'a', '--force']],
    [['migrate-up']],
    [[]],
  ])('rejects %j with usage and exit code 2 before touching the database', async (argv) => {
    const { code, errors } = await run(argv);
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/usage: quorum migrate/);
  });

  it('exits 2 without a database URL', async () => {
    const { code, errors } = await run(['migrate'], '');
    expect(code).toBe(2);
    expect(errors[0]).toMatch(/no database URL/);
  });

  it('reports a failure with exit code 1', async () => {
    const { code, errors } = await run(['migrate'], 'mysql://u@h/db');
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/^migrate failed: unsupported database URL scheme/);
  });
});

describe('normaliseMigrationName', () => {
  it('turns free text into a folder-safe name', () => {
    expect(normaliseMigrationName('  Add Signal-UUID index! ')).toBe('add_signal_uuid_index');
    expect(normaliseMigrationName('init')).toBe('init');
  });
  it('rejects names with nothing usable', () => {
    expect(() => normaliseMigrationName(' -- ')).toThrow('invalid migration name');
  });
});
