import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { dropDatabase } from '../../src/infra/prisma/migrate/database-admin.js';
import {
  applyMigrations,
  createMigration,
  migrationDrift,
  schemaMatchesMigrations,
} from '../../src/infra/prisma/migrate/migrate.js';
import { defaultPrismaPaths } from '../../src/infra/prisma/migrate/project-paths.js';
import { withDatabase } from '../../src/infra/prisma/migrate/pg-url.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum_test';
const deployUrl = withDatabase(serverUrl, 'quorum_migrate_test');
const devUrl = withDatabase(serverUrl, 'quorum_migrate_test_dev');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const shadowDatabases = async () =>
  (await query<{ datname: string }>(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'quorum_shadow_%'`)).map(
    (row) => row.datname,
  );

describe('project migrations', () => {
  beforeAll(() => dropDatabase(deployUrl));
  afterAll(() => dropDatabase(deployUrl));

  it('creates the database, applies every migration once and records them', async () => {
    const folders = (await readdir(defaultPrismaPaths().migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);

    expect(await applyMigrations(deployUrl)).toEqual({ applied: folders });
    expect(await applyMigrations(deployUrl)).toEqual({ applied: [] });
    const recorded = await query<{ migration_name: string; done: boolean }>(
      deployUrl,
      'SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations ORDER BY 1',
    );
    expect(recorded).toEqual(folders.map((name) => ({ migration_name: name, done: true })));
  });

  it('produce exactly prisma/schema.prisma (author a migration with `quorum migrate-dev <name>`)', async () => {
    expect(await migrationDrift(serverUrl)).toBeNull();
  });

  it('give a database the generated client can use', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: deployUrl }) });
    try {
      const org = await prisma.organization.create({
        data: { name: 'Acme', agents: { create: [{ name: 'edge-1', tags: ['dmz'], country: 'FR' }] } },
        include: { agents: true },
      });
      expect(org.agents).toEqual([expect.objectContaining({ name: 'edge-1', tags: ['dmz'], status: 'active' })]);
      const signal = await prisma.signal.create({
        data: {
          receivedAt: new Date(),
          reporter: 'r1',
          owner: 'o1',
          source: 'quorum',
          ip: '192.0.2.7',
          ipKey: '192.0.2.7',
          scope: 'ip',
          scenario: 'ssh-bf',
          startedAt: new Date(),
          stoppedAt: new Date(),
          weight: 0.5,
          labels: { service: 'ssh' },
        },
      });
      expect(typeof signal.id).toBe('bigint');
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('createMigration (dev flow on a scratch schema)', () => {
  let dir: string;
  let opts: { schemaPath: string; migrationsDir: string; log: (msg: string) => void };
  let logs: string[];
  const schema = (fields: string) => `datasource db {\n  provider = "postgresql"\n}\n
model Widget {\n  id   Int    @id @default(autoincrement())\n${fields}\n  @@map("widget")\n}\n`;

  beforeAll(async () => {
    await dropDatabase(devUrl);
    dir = await mkdtemp(join(tmpdir(), 'quorum-migrate-dev-'));
    logs = [];
    opts = { schemaPath: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations'), log: (m) => logs.push(m) };
  });
  afterAll(async () => {
    await dropDatabase(devUrl);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes, applies and then detects drift until the next migration is authored', async () => {
    const shadowsBefore = await shadowDatabases();
    await writeFile(opts.schemaPath, schema('  name String\n  size Int?'));

    const first = await createMigration(devUrl, 'Create widgets', opts);
    expect(first.created).toMatch(/^\d{14}_create_widgets$/);
    expect((await readdir(opts.migrationsDir)).sort()).toEqual([first.created, 'migration_lock.toml']);
    expect(await createMigration(devUrl, 'again', opts)).toEqual({ created: null });
    expect(logs).toContain('no changes: the schema matches the migrations');
    expect(await schemaMatchesMigrations(devUrl, opts)).toBe(true);

    await query(devUrl, `INSERT INTO widget (name, size) VALUES ('w', 3)`);
    await writeFile(opts.schemaPath, schema('  name String\n  colour String @default("red")'));
    expect(await schemaMatchesMigrations(devUrl, opts)).toBe(false);
    expect(await migrationDrift(devUrl, opts)).toMatch(/Added column `colour`/);

    await expect(createMigration(devUrl, 'recolour', opts)).rejects.toThrow(/lose data[\s\S]*`size`/);
    const second = await createMigration(devUrl, 'recolour', { ...opts, acceptDataLoss: true });
    expect(second.created).toMatch(/_recolour$/);
    expect(await query(devUrl, 'SELECT name, colour FROM widget')).toEqual([{ name: 'w', colour: 'red' }]);
    expect(await schemaMatchesMigrations(devUrl, opts)).toBe(true);

    const leaked = (await shadowDatabases()).filter((name) => !shadowsBefore.includes(name));
    expect(leaked).toEqual([]);
  });

  it('refuses to author a migration when the database drifted from the history', async () => {
    await query(devUrl, 'ALTER TABLE widget ADD COLUMN manual int');
    await expect(createMigration(devUrl, 'after_drift', opts)).rejects.toThrow(/must be reset[\s\S]*manual/);
  });
});
