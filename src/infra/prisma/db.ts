import type pg from 'pg';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { type DdlValue, ddlText } from './ddl.js';

/**
 * The one way a repository reaches PostgreSQL (docs/architecture.md "Data access"): a `Db` runs
 * Prisma delegates (`db.prisma.<model>`) and raw SQL (`db.query`, `db.execute`), either on the pool or
 * inside one transaction that every repository handed the same `Db` takes part in
 * (`PrismaService.transaction`). Rows have the pg driver's shapes in both cases: int8 and numeric as
 * text, bytea as Buffer, timestamps as Date, json parsed.
 */
export interface Db {
  /** Prisma delegates and tagged `$queryRaw`, on the transaction when there is one. */
  readonly prisma: Prisma.TransactionClient;
  /** One statement with bind parameters ($1, $2, ...); its rows. */
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** One statement with bind parameters; the number of rows it wrote (INSERT, UPDATE, DELETE). */
  execute(text: string, values?: readonly unknown[]): Promise<number>;
  /**
   * One CREATE, ALTER or DROP statement naming a table made at run time, as a tagged template:
   * `db.ddl\`DROP TABLE IF EXISTS ${name}\``. DDL takes no bind parameters: each value must be a plain
   * identifier (double-quoted) or a Date (a literal of its UTC ISO text), checked by `ddlText`
   * (src/infra/prisma/ddl.ts) before anything is sent.
   */
  ddl(strings: TemplateStringsArray, ...values: DdlValue[]): Promise<void>;
}

/**
 * Bind values as both paths send them: a Date as its UTC ISO text (the pg driver would otherwise send
 * the process's local time, and `$1::date` of a local evening is the wrong day west of UTC).
 */
function bindValues(values: readonly unknown[]): unknown[] {
  return values.map((v) => (v instanceof Date ? v.toISOString() : v));
}

/** A pool-backed Db: raw SQL straight on the pg pool (no Prisma overhead on hot paths). */
export function poolDb(prisma: PrismaClient, pool: pg.Pool): Db {
  return {
    prisma,
    async query<Row = Record<string, unknown>>(text: string, values: readonly unknown[] = []) {
      return (await pool.query(text, bindValues(values))).rows as Row[];
    },
    async execute(text: string, values: readonly unknown[] = []) {
      return (await pool.query(text, bindValues(values))).rowCount ?? 0;
    },
    async ddl(strings: TemplateStringsArray, ...values: DdlValue[]) {
      await pool.query(ddlText(strings, values));
    },
  };
}

/** Raw SQL on one pooled connection held by the caller (session state: advisory locks). */
export type Connection = Pick<Db, 'query' | 'execute'>;

export function connectionOf(client: pg.PoolClient): Connection {
  return {
    async query<Row = Record<string, unknown>>(text: string, values: readonly unknown[] = []) {
      return (await client.query(text, bindValues(values))).rows as Row[];
    },
    async execute(text: string, values: readonly unknown[] = []) {
      return (await client.query(text, bindValues(values))).rowCount ?? 0;
    },
  };
}

/** A Db on one Prisma interactive transaction: raw SQL runs on the transaction's connection. */
export function transactionDb(tx: Prisma.TransactionClient): Db {
  return {
    prisma: tx,
    async query<Row = Record<string, unknown>>(text: string, values: readonly unknown[] = []) {
      const rows = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(text, ...bindValues(values));
      return rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) out[key] = asPgValue(value);
        return out as Row;
      });
    },
    execute(text: string, values: readonly unknown[] = []) {
      return tx.$executeRawUnsafe(text, ...bindValues(values));
    },
    async ddl(strings: TemplateStringsArray, ...values: DdlValue[]) {
      await tx.$executeRawUnsafe(ddlText(strings, values));
    },
  };
}

/** Prisma's raw values in the pg driver's shapes (what pool-backed statements return). */
export function asPgValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Prisma.Decimal) return value.toString();
  if (Array.isArray(value)) return value.map(asPgValue);
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}
