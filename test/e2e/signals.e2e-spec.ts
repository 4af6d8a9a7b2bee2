import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AgentsService } from '../../src/agents/agents.service.js';
import { createOrganization, enrollAgent, keyPair, nonce, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('signed signal ingestion', () => {
  let t: TestApp;
  let enrollKey: string;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000' });
    enrollKey = (await createOrganization(t.app)).enrollKey;
  });
  afterAll(async () => t.close());

  const count = async (where = 'true', params: unknown[] = []) =>
    Number((await sql<{ n: string }>(t.config.database.url, `SELECT count(*) AS n FROM signal WHERE ${where}`, params))[0].n);

  async function push(agent: TestAgent, body: unknown, opts: { sentAt?: Date; nonce?: string } = {}) {
    const req = signBatch(agent, body, opts);
    return t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
  }

  it('stores a valid batch in one write and answers what was accepted', async () => {
    const agent = await enrollAgent(t.app, enrollKey);
    const before = await count();
    const res = await push(agent, { signals: [signal(), signal(), signal({ ip: '::ffff:185.220.101.4' })] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(await count()).toBe(before + 3);
    const rows = await sql(t.config.database.url, "SELECT ip, ip_key, reporter, weight FROM signal WHERE ip = '185.220.101.4'");
    expect(rows).toHaveLength(1);
    // An IPv4 address is its own key: ip_key is stored only where it differs (docs/scaling.md).
    expect(rows[0].ip_key).toBeNull();
    expect(rows[0].reporter).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0].reporter).not.toBe(agent.id);
  });

  it('keys IPv6 targets by /64 but stores them as sent', async () => {
    const agent = await enrollAgent(t.app, enrollKey);
    const res = await push(agent, { signals: [signal({ ip: '2a01:4f8:1:2:3:4:5:6' })] });
    expect(res.json().accepted).toBe(1);
    const rows = await sql(t.config.database.url, "SELECT ip, ip_key FROM signal WHERE ip = '2a01:4f8:1:2:3:4:5:6'");
    expect(rows[0].ip_key).toBe('2a01:4f8:1:2::/64');
  });

  it('rejects bad items individually and keeps the rest', async () => {
    const agent = await enrollAgent(t.app, enrollKey);
    const day = 86_400_000;
    const dup = randomUUID();
    const items = [
      signal(),
      signal({ ip: '999.1.1.1' }),
      signal({ ip: '10.0.0.1' }),
      signal({ ip: '192.0.2.5' }),
      signal({ ip: '224.0.0.1' }),
      signal({ started_at: new Date(Date.now() - 70 * day).toISOString(), stopped_at: new Date(Date.now() - 61 * day).toISOString() }),
      signal({ started_at: new Date(Date.now() + 10 * 60_000).toISOString(), stopped_at: new Date(Date.now() + 11 * 60_000).toISOString() }),
      signal({ uuid: dup }),
      signal({ uuid: dup }),
      signal({ labels: { password: 'x' } }),
    ];
    const res = await push(agent, { signals: items });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(2);
    expect(res.json().rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [1, 'invalid_ip'],
      [2, 'reserved_target'],
      [3, 'reserved_target'],
      [4, 'reserved_target'],
      [5, 'too_old'],
      [6, 'in_future'],
      [8, 'duplicate_uuid'],
      [9, 'label_not_allowed'],
    ]);
    expect(await count('ip = ANY($1)', [['10.0.0.1', '192.0.2.5', '224.0.0.1']])).toBe(0);
  });

  it('counts a resent uuid as duplicate and never stores it twice', async () => {
    const agent = await enrollAgent(t.app, enrollKey);
    const s = signal();
    expect((await push(agent, { signals: [s] })).json().accepted).toBe(1);
    const again = await push(agent, { signals: [s, signal()] });
    expect(again.json()).toEqual(expect.objectContaining({ accepted: 1, duplicates: 1 }));
    expect(await count('uuid = $1', [s.uuid])).toBe(1);
  });

  describe('whole-batch rejections store nothing', () => {
    let agent: TestAgent;
    beforeAll(async () => {
      agent = await enrollAgent(t.app, enrollKey);
    });

    async function expectNothingStored(send: () => Promise<{ statusCode: number; json(): any }>, status: number, code?: string) {
      const before = await count();
      const res = await send();
      expect(res.statusCode).toBe(status);
      if (code) expect(res.json().code).toBe(code);
      expect(res.json().requestId).toEqual(expect.any(String));
      expect(await count()).toBe(before);
    }

    it('malformed body, unknown fields, wrong types', async () => {
      await expectNothingStored(() => push(agent, '{"signals": ['), 400, 'malformed_json');
      await expectNothingStored(() => push(agent, { signals: [signal({ color: 'red' })] }), 400, 'validation_failed');
      await expectNothingStored(() => push(agent, { signals: [signal({ scenario: 42 })] }), 400, 'validation_failed');
      await expectNothingStored(() => push(agent, { signals: 'all of them' }), 400, 'validation_failed');
      await expectNothingStored(() => push(agent, { signals: [signal({ started_at: 'yesterday' })] }), 400, 'validation_failed');
    });

    it('more than 250 signals', async () => {
      const many = Array.from({ length: 251 }, () => signal());
      await expectNothingStored(() => push(agent, { signals: many }), 400, 'validation_failed');
    });

    it('missing or bad signature, a body changed after signing', async () => {
      const req = signBatch(agent, { signals: [signal()] });
      const { ['x-quorum-signature']: _omit, ...unsigned } = req.headers;
      await expectNothingStored(() => t.app.inject({ method: 'POST', url: '/v1/signals', headers: unsigned, payload: req.payload }), 401, 'invalid_signature');
      const other = { ...agent, privateKey: keyPair().privateKey };
      await expectNothingStored(() => push(other, { signals: [signal()] }), 401, 'invalid_signature');
      const tampered = req.payload.replace(/185\.\d+/, '185.99');
      await expectNothingStored(() => t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: tampered }), 401, 'invalid_signature');
    });

    it('sent_at more than 5 minutes away', async () => {
      await expectNothingStored(() => push(agent, { signals: [signal()] }, { sentAt: new Date(Date.now() - 6 * 60_000) }), 401, 'stale_timestamp');
      await expectNothingStored(() => push(agent, { signals: [signal()] }, { sentAt: new Date(Date.now() + 6 * 60_000) }), 401, 'stale_timestamp');
    });

    it('a replayed nonce (409)', async () => {
      const n = nonce();
      expect((await push(agent, { signals: [signal()] }, { nonce: n })).statusCode).toBe(200);
      await expectNothingStored(() => push(agent, { signals: [signal()] }, { nonce: n }), 409, 'replayed_nonce');
    });

    it('an exact replay of a captured request', async () => {
      const req = signBatch(agent, { signals: [signal()] });
      expect((await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload })).statusCode).toBe(200);
      await expectNothingStored(() => t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload }), 409);
    });

    it('no token, or a revoked agent with a still-valid token', async () => {
      const req = signBatch(agent, { signals: [signal()] });
      const { authorization: _a, ...anonymous } = req.headers;
      await expectNothingStored(() => t.app.inject({ method: 'POST', url: '/v1/signals', headers: anonymous, payload: req.payload }), 401);
      const doomed = await enrollAgent(t.app, enrollKey);
      await t.app.get(AgentsService).revoke(doomed.id);
      await expectNothingStored(() => push(doomed, { signals: [signal()] }), 401, 'invalid_token');
    });
  });

  it('accepts gzip bodies signed over the uncompressed JSON', async () => {
    const agent = await enrollAgent(t.app, enrollKey);
    const req = signBatch(agent, { signals: [signal()] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/signals',
      headers: { ...req.headers, 'content-encoding': 'gzip' },
      payload: gzipSync(req.payload),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(1);
  });

  it('flags targets beyond the daily distinct-target budget with weight 0', async () => {
    const app2 = await createTestApp({ QUORUM_SIGNALS_MAX_TARGETS_PER_DAY: '3', QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
    try {
      const agent = await enrollAgent(app2.app, (await createOrganization(app2.app)).enrollKey);
      const ips = [attackerIp(), attackerIp(), attackerIp(), attackerIp(), attackerIp()];
      const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
      const res = await app2.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      expect(res.json().accepted).toBe(5);
      const rows = await sql<{ ip: string; weight: number; flags: number }>(t.config.database.url, 'SELECT ip, weight, flags FROM signal WHERE ip = ANY($1) ORDER BY ip', [ips]);
      expect(rows.filter((r) => r.weight === 1)).toHaveLength(3);
      expect(rows.filter((r) => r.weight === 0 && (r.flags & 2) === 2)).toHaveLength(2);
    } finally {
      await app2.close();
    }
  });

  it('answers 429 with Retry-After past the batch bucket and its overflow, and past the daily cap', async () => {
    const app2 = await createTestApp({
      QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '2',
      QUORUM_SIGNALS_BURST_BATCHES: '2',
      QUORUM_SIGNALS_OVERFLOW_BATCHES: '0',
      QUORUM_SIGNALS_MAX_PER_DAY: '4',
    });
    try {
      const agent = await enrollAgent(app2.app, (await createOrganization(app2.app)).enrollKey);
      const send = (n: number) => {
        const req = signBatch(agent, { signals: Array.from({ length: n }, () => signal()) });
        return app2.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      };
      const burst = await Promise.all([send(1), send(1), send(1), send(1)]);
      const limited = burst.filter((r) => r.statusCode === 429);
      expect(limited.length).toBeGreaterThanOrEqual(1);
      expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const over = await send(4);
      expect(over.statusCode).toBe(429);
      expect(over.json().code).toBe('daily_cap_reached');
    } finally {
      await app2.close();
    }
  });
});
