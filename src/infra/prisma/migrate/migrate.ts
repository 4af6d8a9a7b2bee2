import { readFile } from 'node:fs/promises';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import { ensureDatabase, withMigrateLock } from './database-admin.js';
import { withSchemaEngine, type SchemaFile } from './engine-session.js';
import { readMigrationList, writeMigration } from './migrations-dir.js';
import { databaseName } from './pg-url.js';
import { defaultPrismaPaths } from './project-paths.js';

export interface MigrateOptions {
  /** Human-readable progress lines (and engine warnings). Silent by default. */
  log?: (msg: string) => void;
  /** Defaults to <project>/prisma/schema.prisma. */
  schemaPath?: string;
  /** Defaults to <project>/prisma/migrations. */
  migrationsDir?: string;
}

export interface CreateMigrationOptions extends MigrateOptions {
  /** Without it, a migration that would drop data is refused (the Prisma CLI would prompt). */
  acceptDataLoss?: boolean;
}

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Deploy: applies pending migrations in name order, recording them in `_prisma_migrations`. */
export async function applyMigrations(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const { log, migrationsDir } = resolve(opts);
  if (await ensureDatabase(databaseUrl)) log(`created database ${databaseName(databaseUrl)}`);
  return withMigrateLock(databaseUrl, () =>
    withSchemaEngine(databaseUrl, null, engineLog(log), async (engine) => {
      const applied = await applyPending(engine, await readMigrationList(migrationsDir), log);
      if (applied.length === 0) log('no pending migrations');
      return { applied };
    }),
  );
}

/**
 * Dev: applies pending migrations, then writes a migration taking the database from the migration
 * history to schema.prisma (diffed on a throw-away shadow database) and applies it.
 */
export async function createMigration(
  databaseUrl: string,
  name: string,
  opts: CreateMigrationOptions = {},
): Promise<{ created: string | null }> {
  const migrationName = normaliseMigrationName(name);
  const { log, migrationsDir, schemaPath } = resolve(opts);
  const schema = await readSchema(schemaPath);
  if (await ensureDatabase(databaseUrl)) log(`created database ${databaseName(databaseUrl)}`);
  return withMigrateLock(databaseUrl, () =>
    withSchemaEngine(databaseUrl, schema, engineLog(log), async (engine) => {
      await requireNoReset(engine, await readMigrationList(migrationsDir));
      await applyPending(engine, await readMigrationList(migrationsDir), log);
      // The first diagnostic saw the database before those migrations ran.
      const migrationsList = await readMigrationList(migrationsDir);
      await requireNoReset(engine, migrationsList);

      const loss = await engine.evaluateDataLoss({ migrationsList, schema: { files: [schema] }, filters: NO_FILTERS });
      if (loss.unexecutableSteps.length > 0) {
        throw new Error(`the migration cannot run on this database:\n${bullets(loss.unexecutableSteps)}`);
      }
      if (loss.warnings.length > 0 && !opts.acceptDataLoss) {
        throw new Error(`the migration would lose data (pass acceptDataLoss to proceed):\n${bullets(loss.warnings)}`);
      }
      for (const warning of loss.warnings) log(`warning: ${warning.message}`);

      const out = await engine.createMigration({
        draft: false,
        migrationName,
        migrationsList,
        schema: { files: [schema] },
        filters: NO_FILTERS,
      });
      if (out.migrationScript === null) {
        log('no changes: the schema matches the migrations');
        return { created: null };
      }
      const dir = await writeMigration(
        migrationsDir,
        out.generatedMigrationName,
        out.extension,
        out.migrationScript,
        out.connectorType,
      );
      log(`created ${dir}`);
      const applied = await applyPending(engine, await readMigrationList(migrationsDir), log);
      if (!applied.includes(out.generatedMigrationName)) {
        throw new Error(`migration ${out.generatedMigrationName} was written but not applied`);
      }
      return { created: out.generatedMigrationName };
    }),
  );
}

/**
 * Summary of what schema.prisma has that replaying the migrations (on a shadow database on the server
 * of `databaseUrl`) does not produce, or null when they match.
 */
export async function migrationDrift(databaseUrl: string, opts: MigrateOptions = {}): Promise<string | null> {
  const { log, migrationsDir, schemaPath } = resolve(opts);
  const schema = await readSchema(schemaPath);
  return withSchemaEngine(databaseUrl, schema, engineLog(log), async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList(migrationsDir)) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: false,
      exitCode: true,
      filters: NO_FILTERS,
    });
    if (result.exitCode === 0) return null;
    return result.stdout?.trim() || `schema engine diff exited with ${result.exitCode}`;
  });
}

/** True when the migrations fully produce prisma/schema.prisma. */
export async function schemaMatchesMigrations(databaseUrl: string, opts: MigrateOptions = {}): Promise<boolean> {
  return (await migrationDrift(databaseUrl, opts)) === null;
}

export function normaliseMigrationName(name: string): string {
  const normalised = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!normalised) throw new Error(`invalid migration name ${JSON.stringify(name)}`);
  return normalised;
}

async function applyPending(engine: SchemaEngine, migrationsList: MigrationList, log: (m: string) => void) {
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
  for (const applied of appliedMigrationNames) log(`applied ${applied}`);
  return appliedMigrationNames;
}

async function requireNoReset(engine: SchemaEngine, migrationsList: MigrationList): Promise<void> {
  const { action } = await engine.devDiagnostic({ migrationsList, filters: NO_FILTERS });
  if (action.tag === 'reset') {
    throw new Error(`the database must be reset before creating a migration: ${action.reason}`);
  }
}

async function readSchema(schemaPath: string): Promise<SchemaFile> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

function resolve(opts: MigrateOptions) {
  const defaults = defaultPrismaPaths();
  return {
    log: opts.log ?? (() => undefined),
    schemaPath: opts.schemaPath ?? defaults.schemaPath,
    migrationsDir: opts.migrationsDir ?? defaults.migrationsDir,
  };
}

/** The engine emits JSON tracing lines; only warnings and errors are worth showing. */
function engineLog(log: (msg: string) => void): (line: string) => void {
  return (line) => {
    try {
      const entry = JSON.parse(line) as { level?: string; fields?: { message?: string } };
      if (entry.level === 'WARN' || entry.level === 'ERROR') log(`engine ${entry.level}: ${entry.fields?.message ?? line}`);
    } catch {
      log(`engine: ${line}`);
    }
  };
}

function bullets(items: { message: string }[]): string {
  return items.map((item) => `  - ${item.message}`).join('\n');
}
