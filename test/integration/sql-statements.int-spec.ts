import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../src/common/util/project-root.js';
import { type SqlStatement, sqlStatementsIn } from '../../src/infra/prisma/sql-statements.js';
import { testEnv } from '../setup/test-env.js';
import { sourceFiles } from '../support/source-files.js';

/**
 * Every SQL statement written in src/ (pg pool queries, Db.query, Prisma raw queries) is prepared
 * against the migrated test schema (docs/architecture.md "Data access"): a misspelt table or column, a
 * type mismatch or a parameter PostgreSQL cannot type fails here rather than in production.
 * PREPARE parses, resolves names and types the parameters exactly as the untyped bind of the pg driver
 * does at run time, and runs nothing.
 */
const root = projectRoot();

describe('SQL statements against the migrated schema', () => {
  let client: pg.Client;
  const statements: SqlStatement[] = [];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await client.connect();
    for (const file of sourceFiles(join(root, 'src'), new Set(['generated']))) statements.push(...sqlStatementsIn(relative(root, file), readFileSync(file, 'utf8')).statements);
  });
  afterAll(async () => client?.end());

  /** The error PostgreSQL gives when preparing `text`, or null when it prepares. */
  async function prepareError(text: string): Promise<string | null> {
    try {
      await client.query(`PREPARE quorum_sql_check AS ${text}`);
      await client.query('DEALLOCATE quorum_sql_check');
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('finds the statements of the repositories', () => {
    const files = new Set(statements.map((s) => s.file));
    expect([...files]).toEqual(expect.arrayContaining(['src/blocklist/blocklist.repository.ts', 'src/lookup/usage/usage-ledger.repository.ts', 'src/signals/signals-feed.repository.ts']));
    expect(statements.length).toBeGreaterThan(100);
  });

  it('every statement prepares', async () => {
    const failures: string[] = [];
    for (const s of statements) {
      const error = await prepareError(s.text);
      if (error) failures.push(`${s.file}:${s.line}: ${error}`);
    }
    expect(failures).toEqual([]);
  });

  it('fails a statement naming a column or table the schema does not have', async () => {
    const [bad] = sqlStatementsIn('x.ts', 'async function f(db: any, id: string) { await db.$queryRaw`SELECT no_such_column FROM agent WHERE id = ${id}::uuid`; }').statements;
    expect(bad.text).toBe('SELECT no_such_column FROM agent WHERE id = $1::uuid');
    expect(await prepareError(bad.text)).toMatch(/no_such_column/);
    expect(await prepareError("SELECT 1 FROM no_such_table WHERE id = $1")).toMatch(/no_such_table/);
    expect(await prepareError('SELECT id FROM agent WHERE id = $1::uuid')).toBeNull();
    // a statement composed of consts is read whole, wherever it is used
    const composed = sqlStatementsIn('y.ts', "const COLUMNS = 'id, nme';\nconst ROWS = `SELECT ${COLUMNS} FROM agent`;\nasync function g(db: any) { return db.query({ text: ROWS, rowMode: 'array' }); }").statements;
    expect(composed.map((s) => s.text)).toEqual(['SELECT id, nme FROM agent']);
    expect(await prepareError(composed[0].text)).toMatch(/nme/);
  });
});
