import { applyMigrations, createMigration } from './migrate.js';

const USAGE = 'usage: quorum migrate | quorum migrate-dev <name> [--accept-data-loss]';

/**
 * `migrate` (deploy pending migrations) and `migrate-dev <name>` (author a migration from
 * prisma/schema.prisma). Returns the process exit code.
 */
export async function migrateCommand(
  argv: string[],
  databaseUrl: string | undefined = fallbackDatabaseUrl(),
  out: { log: (msg: string) => void; error: (msg: string) => void } = console,
): Promise<number> {
  const [command, ...rest] = argv;
  const flags = rest.filter((arg) => arg.startsWith('--'));
  const positional = rest.filter((arg) => !arg.startsWith('--'));
  const unknown = flags.filter((flag) => command !== 'migrate-dev' || flag !== '--accept-data-loss');
  if (unknown.length > 0 || (command !== 'migrate' && command !== 'migrate-dev')) {
    out.error(unknown.length ? `unknown option ${unknown[0]}\n${USAGE}` : USAGE);
    return 2;
  }
  if (command === 'migrate' ? positional.length !== 0 : positional.length !== 1) {
    out.error(USAGE);
    return 2;
  }
  if (!databaseUrl) {
    out.error('no database URL (set DATABASE_URL)');
    return 2;
  }
  try {
    if (command === 'migrate') {
      const { applied } = await applyMigrations(databaseUrl, { log: out.log });
      out.log(`migrate: ${applied.length} migration(s) applied`);
    } else {
      await createMigration(databaseUrl, positional[0]!, {
        log: out.log,
        acceptDataLoss: flags.includes('--accept-data-loss'),
      });
    }
    return 0;
  } catch (error) {
    out.error(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// TEMPORARY (lead: remove once every caller passes the URL from the config module): the only place
// in this folder that reads the environment.
function fallbackDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL;
}
