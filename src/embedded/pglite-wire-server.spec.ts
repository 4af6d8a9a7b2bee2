import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PGliteWireServer } from './pglite-wire-server.js';

// PGlite loads its wasm through a dynamic import(), which Jest (CommonJS mode) only allows with this
// flag; `npm test` sets it.
const vmModules = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`.includes('--experimental-vm-modules');

(vmModules ? describe : describe.skip)('PGliteWireServer', () => {
  let db: PGlite;
  let server: PGliteWireServer;
  let pool: pg.Pool;
  let url: string;

  beforeAll(async () => {
    db = await PGlite.create();
    server = new PGliteWireServer(db);
    url = `postgresql://postgres@127.0.0.1:${await server.start()}/postgres`;
    pool = new pg.Pool({ connectionString: url, max: 6 });
    await pool.query('CREATE TABLE item (id int PRIMARY KEY, label text)');
  }, 60_000);

  afterAll(async () => {
    await pool.end();
    await server.close();
    await db.close();
  });

  it('keeps parameterised queries of concurrent connections apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => pool.query<{ n: number; t: string }>('SELECT $1::int AS n, $2::text AS t', [i, `v${i}`])),
    );
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ n: i, t: `v${i}` }));
  });

  it('gives an open transaction the session until it ends', async () => {
    const a = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO item VALUES ($1, $2)', [1, 'uncommitted']);
      // Another connection's query waits for the transaction instead of running inside it.
      const other = pool.query<{ c: string }>('SELECT count(*)::text AS c FROM item');
      await new Promise((r) => setTimeout(r, 50));
      await a.query('ROLLBACK');
      expect((await other).rows[0].c).toBe('0');
    } finally {
      a.release();
    }
  });

  it('rolls back the transaction of a client that disconnects inside it', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    await client.query("INSERT INTO item VALUES (2, 'abandoned')");
    await client.end();
    const { rows } = await pool.query<{ c: string }>('SELECT count(*)::text AS c FROM item');
    expect(rows[0].c).toBe('0');
  });

  it('delivers notifications to the connection that listens', async () => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const received = new Promise<string | undefined>((resolve) => listener.on('notification', (n) => resolve(n.payload)));
    await listener.query('LISTEN jobs');
    await pool.query("SELECT pg_notify('jobs', 'hello')");
    await expect(received).resolves.toBe('hello');
    await listener.end();
  });
});
