import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createHttpApp } from '../../src/app/create-http-app.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { createOrganization, keyPair, signBatch, signedLogin } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { testConfig } from '../setup/test-app.js';


/** Canary addresses: agents connect from the egress ones; the target one is reported. */
const EGRESS = ['46.101.77.9', '2a03:b0c0:3:d0::77:9001'];
const TARGET = '185.199.77.66';

describe('pseudonymisation and log redaction with canary IPs in live traffic (R5, R6, R15)', () => {
  let app: NestFastifyApplication;
  let db: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const config = testConfig({ QUORUM_LOG_LEVEL: 'debug', QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
    db = config.database.url;
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await createHttpApp(config, createRootLogger('debug', stream));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();

    const { enrollKey } = await createOrganization(app, 'canary-org');
    for (const [i, egress] of EGRESS.entries()) {
      const { privateKey, publicKey } = keyPair();
      const enrolled = await app.inject({ method: 'POST', url: '/v1/agents', payload: { name: `canary-${i}`, public_key: publicKey, enroll_key: enrollKey }, remoteAddress: egress });
      expect(enrolled.statusCode).toBe(201);
      const agentId = enrolled.json().id as string;
      const login = await app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agentId, privateKey), remoteAddress: egress });
      expect(login.statusCode).toBe(200);
      const req = signBatch({ id: agentId, privateKey, token: login.json().token }, { signals: [signal({ ip: TARGET })] });
      const pushed = await app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload, remoteAddress: egress });
      expect(pushed.statusCode).toBe(200);
      // Failures log too: a bad batch, an unknown route carrying an IP, a bad login.
      await app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: '{"signals":[{"ip":"not-an-ip"}]}', remoteAddress: egress });
      await app.inject({ method: 'GET', url: `/v1/nothing/${egress}`, remoteAddress: egress });
      await app.inject({ method: 'POST', url: '/v1/agents/login', payload: { ...signedLogin(agentId, privateKey), signature: 'AAAA' }, remoteAddress: egress });
    }
    await app.inject({ method: 'GET', url: `/v1/ip/${TARGET}/explain`, remoteAddress: EGRESS[0] });
  });
  afterAll(async () => app.close());

  it('stores no agent egress address in any table (R6)', async () => {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
      );
      const hits: string[] = [];
      const patterns = [...EGRESS, '2a03:b0c0:3:d0:', '46.101.77.'].map((n) => `%${n}%`);
      for (const { name } of tables.rows) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" x WHERE lower(x::text) LIKE ANY($1::text[])`, [patterns]);
        if (Number(rows[0].n) > 0) hits.push(name);
      }
      expect(hits).toEqual([]);
      // The target IP is stored where the rules allow it (raw signals), so the scan above can find IPs.
      const { rows } = await client.query('SELECT 1 FROM signal WHERE ip = $1', [TARGET]);
      expect(rows.length).toBe(EGRESS.length);
    } finally {
      await client.end();
    }
  });

  it('the signal and scoring tables have no account identity column (R5)', async () => {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name IN ('signal', 'reporter', 'ip_score', 'listing_explanation')`,
      );
      expect(new Set(rows.map((r) => r.table_name)).size).toBe(4);
      const bad = rows.filter((r) => /email|name|agent|organi[sz]ation|machine|password/i.test(r.column_name) || r.data_type === 'uuid');
      expect(bad).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('application logs hold no egress or target IP (R15)', () => {
    expect(lines.length).toBeGreaterThan(10);
    const text = lines.join('\n');
    for (const ip of [...EGRESS, TARGET]) expect(text).not.toContain(ip);
    expect(text).not.toMatch(/46\.101\.77|185\.199\.77|2a03:b0c0:3:d0/);
  });
});
