import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../src/config/app-config.js';
import type { Db } from '../../src/infra/prisma/db.js';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { testEnv } from '../setup/test-env.js';

/**
 * The data-access helper (docs/architecture.md "Data access"): one transaction shared by Prisma
 * delegates and raw SQL, and raw rows of the same shape inside and outside a transaction.
 */
describe('PrismaService.db and transaction', () => {
  let prisma: PrismaService;

  beforeAll(() => {
    prisma = new PrismaService({ database: { url: testEnv().DATABASE_URL, poolSize: 4 } } as AppConfig);
  });
  afterAll(async () => prisma?.onApplicationShutdown());

  const canary = () => `198.51.100.${Math.floor(Math.random() * 250)}/32-${randomUUID()}`;
  const orgExists = async (id: string) => (await prisma.db.query('SELECT 1 FROM organization WHERE id = $1::uuid', [id])).length === 1;
  const canaryExists = async (cidr: string) => (await prisma.db.query('SELECT 1 FROM dark_canary WHERE cidr = $1', [cidr])).length === 1;

  it('commits a delegate write and a raw write together, and the raw statement sees the delegate write before the commit', async () => {
    const cidr = canary();
    const id = await prisma.transaction(async (tx) => {
      const org = await tx.prisma.organization.create({ data: { name: 'tx-shared' } });
      expect(await tx.query('SELECT name FROM organization WHERE id = $1::uuid', [org.id])).toEqual([{ name: 'tx-shared' }]);
      // not visible outside the transaction yet
      expect(await orgExists(org.id)).toBe(false);
      expect(await tx.execute('INSERT INTO dark_canary (cidr, note) VALUES ($1, $2)', [cidr, org.id])).toBe(1);
      return org.id;
    });
    expect(await orgExists(id)).toBe(true);
    expect(await canaryExists(cidr)).toBe(true);
    await prisma.db.execute('DELETE FROM dark_canary WHERE cidr = $1', [cidr]);
    await prisma.db.prisma.organization.delete({ where: { id } });
  });

  it('rolls back both when the work throws', async () => {
    const cidr = canary();
    let id = '';
    await expect(
      prisma.transaction(async (tx) => {
        id = (await tx.prisma.organization.create({ data: { name: 'tx-rolled-back' } })).id;
        await tx.execute('INSERT INTO dark_canary (cidr) VALUES ($1)', [cidr]);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(id).not.toBe('');
    expect(await orgExists(id)).toBe(false);
    expect(await canaryExists(cidr)).toBe(false);
  });

  it('returns rows in the pg driver shapes inside and outside a transaction', async () => {
    const text = `SELECT 5::bigint AS i8, count(*) AS n, 1.5::numeric AS num, '\\x0102'::bytea AS bytes, ARRAY[7]::bigint[] AS i8s,
      '2026-01-02T03:04:05.678Z'::timestamptz AS at, '{"a":1}'::jsonb AS j, ARRAY['x']::text[] AS texts, 3::int AS i4, NULL::text AS nothing,
      $1::bigint AS p_big, $2::text[] AS p_texts, $3::timestamptz AS p_at
      FROM (SELECT 1) one`;
    const values = [12n, ['a', 'b'], new Date('2026-05-06T07:08:09.010Z')];
    const outside = await prisma.db.query(text, values.map((v) => (typeof v === 'bigint' ? v.toString() : v)));
    const inside = await prisma.transaction((tx) => tx.query(text, values));
    expect(inside).toEqual(outside);
    expect(outside[0]).toEqual({
      i8: '5',
      n: '1',
      num: '1.5',
      bytes: Buffer.from([1, 2]),
      i8s: ['7'],
      at: new Date('2026-01-02T03:04:05.678Z'),
      j: { a: 1 },
      texts: ['x'],
      i4: 3,
      nothing: null,
      p_big: '12',
      p_texts: ['a', 'b'],
      p_at: new Date('2026-05-06T07:08:09.010Z'),
    });
    expect(Buffer.isBuffer(inside[0].bytes)).toBe(true);
  });

  it('runs checked DDL on both paths: a table created in a transaction that throws is gone, one created outside stays until dropped', async () => {
    const name = `ddl_probe_${randomUUID().replaceAll('-', '')}`;
    const tableExists = async (db: Pick<Db, 'query'>) => (await db.query('SELECT 1 FROM pg_class WHERE relname = $1', [name])).length === 1;
    await expect(
      prisma.transaction(async (tx) => {
        await tx.ddl`CREATE TABLE ${name} (at timestamptz NOT NULL DEFAULT ${new Date('2026-01-01T00:00:00Z')})`;
        expect(await tableExists(tx)).toBe(true);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await tableExists(prisma.db)).toBe(false);
    await prisma.db.ddl`CREATE TABLE ${name} (at timestamptz NOT NULL DEFAULT ${new Date('2026-01-01T00:00:00Z')})`;
    expect(await tableExists(prisma.db)).toBe(true);
    await prisma.db.ddl`DROP TABLE ${name}`;
    expect(await tableExists(prisma.db)).toBe(false);
    await expect(prisma.db.ddl`DROP TABLE IF EXISTS ${`${name}"; DROP TABLE "organization`}`).rejects.toThrow(/not a plain identifier/);
  });

  it('binds a Date as its UTC ISO text on both paths, so a date parameter is the UTC day whatever the process time zone', async () => {
    const at = new Date('2026-05-06T01:00:00.000Z'); // the evening of May 5 west of UTC
    const text = 'SELECT $1::text AS sent, $2::date::text AS day, $3::timestamptz AS at';
    const expected = [{ sent: '2026-05-06T01:00:00.000Z', day: '2026-05-06', at }];
    expect(await prisma.db.query(text, [at, at, at])).toEqual(expected);
    expect(await prisma.transaction((tx) => tx.query(text, [at, at, at]))).toEqual(expected);
  });
});
