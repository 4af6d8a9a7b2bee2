import pg from 'pg';

/**
 * Names of the tables (partitioned parents included, `_prisma_migrations` left out) with a row whose text holds one of
 * the `needles` as a whole address: 194.17.0.3 does not match 194.17.0.30. Used by the privacy tests to prove an
 * address is gone from every table, whatever its column or type.
 */
export async function tablesHoldingAddress(db: string, needles: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`,
    );
    const patterns = needles.map((n) => `(^|[^0-9a-f.:])${n.toLowerCase().replace(/[.]/g, '\\.')}($|[^0-9a-f.:])`);
    const hits: string[] = [];
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" x WHERE lower(x::text) ~ ANY($1::text[])`, [patterns]);
      if (Number(rows[0].n) > 0) hits.push(name);
    }
    return hits;
  } finally {
    await client.end();
  }
}
