// Issue 15 findings F6 (deep bodies: 500 and a blocked event loop), F10 and G6 (NUL and lone surrogates
// reaching PostgreSQL: 500), each replayed as the attacker sent it, with the credentials that reach
// the handler (an admin session, a CrowdSec watcher token).
import { performance } from 'node:perf_hooks';
import { capiSignal, randomAttackerIp, registerAndLogin } from '../crowdsec/capi-client.js';
import { operator, PASSWORD } from '../browser/seed.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';


/** 100,000 levels of `[` in about 200 KB, the shape of F6. */
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const DEEP_OBJECT = `{"email":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}`;

describe('hostile bodies and parameters', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let watcher: Record<string, string>;
  let agent: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000', QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000' });
    const email = await operator(t.app, 'admin');
    const login = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: PASSWORD }, remoteAddress: '10.71.0.1' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    admin = { cookie, 'x-csrf-token': login.json().csrf_token as string };
    watcher = { authorization: `Bearer ${(await registerAndLogin(t.app, 'v3')).token}` };
    agent = await enrollAgent(t.app, (await createOrganization(t.app, 'Hostile input')).enrollKey);
  }, 120_000);
  afterAll(async () => t.close());

  const json = { 'content-type': 'application/json' };

  it.each([
    ['POST', '/v1/agents'],
    ['POST', '/v1/agents/login'],
    ['POST', '/v1/admin/login'],
    ['POST', '/v1/delisting-requests'],
    ['POST', '/v1/privacy/ip-requests'],
  ])('F6: %s %s answers 400 body_too_deep to 100,000 levels at once (the fuzz test bounds the event-loop cost)', async (method, url) => {
    for (const payload of [DEEP, DEEP_OBJECT]) {
      const started = performance.now();
      const res = await t.app.inject({ method: method as 'POST', url, payload, headers: json });
      const ms = performance.now() - started;
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ statusCode: 400, code: 'body_too_deep', requestId: expect.any(String) }));
      // the whole inject (parse, scan, answer) is synchronous work here; generous for a loaded machine
      expect(ms).toBeLessThan(250);
    }
  });

  it('accepts nesting up to the bound and refuses one level more', async () => {
    const nest = (levels: number) => `{"email":${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}, "password": "x"}`;
    const within = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: nest(32), headers: json });
    expect(within.json().code).not.toBe('body_too_deep');
    const beyond = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: nest(33), headers: json });
    expect(beyond.json().code).toBe('body_too_deep');
  });

  it('refuses a body of more than 20,000 values with 413 before any transform', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/agents', payload: JSON.stringify({ tags: new Array(25_000).fill(0) }), headers: json });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('F10: /v1/admin/plans/%00 answers 400 invalid_characters (a NUL path parameter)', async () => {
    for (const url of ['/v1/admin/plans/%00', '/v1/admin/plans/free%00', '/v1/admin/customers?q=%00', '/v1/admin/delisting-requests?status=%00']) {
      const res = await t.app.inject({ method: 'GET', url, headers: admin });
      expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status: 400, code: 'invalid_characters' });
    }
    const put = await t.app.inject({ method: 'PUT', url: '/v1/admin/plans/%00', headers: { ...admin, ...json }, payload: '{}' });
    expect(put.statusCode).toBe(400);
  });

  it.each(['/v2/metrics', '/v3/metrics', '/v3/usage-metrics', '/v2/usage-metrics'])(
    'G6: %s answers 400 in the CrowdSec shape to NUL and lone surrogates',
    async (url) => {
      for (const text of ['\\u0000', 'a\\ud800b', '\\udfff', 'x\\ud83d']) {
        for (const payload of [`{"apil_version":"${text}","machines":[],"bouncers":[]}`, `{"lapi":{"os":{"name":"${text}"}},"log_processors":[]}`, `{"${text}":1}`]) {
          const res = await t.app.inject({ method: 'POST', url, payload, headers: { ...watcher, ...json } });
          expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
          const body = res.json();
          expect(Object.keys(body).sort()).toEqual(['errors', 'message']);
          expect(typeof body.errors).toBe('string');
        }
      }
    },
  );

  it('keeps paired surrogates (emoji) and answers CrowdSec deep bodies in the CrowdSec shape', async () => {
    const emoji = await t.app.inject({ method: 'POST', url: '/v3/metrics', payload: '{"apil_version":"\\ud83d\\ude00","machines":[],"bouncers":[]}', headers: { ...watcher, ...json } });
    expect(emoji.statusCode).toBe(200);
    const deep = await t.app.inject({ method: 'POST', url: '/v2/signals', payload: DEEP, headers: { ...watcher, ...json } });
    expect(deep.statusCode).toBe(400);
    expect(Object.keys(deep.json()).sort()).toEqual(['errors', 'message']);
  });

  it('refuses NUL in any query or path parameter of public routes too', async () => {
    for (const url of ['/v1/ip/%00', '/v1/range/%00', '/v1/ip/1.2.3.4%00/explain', '/v1/delisting-requests/%00', '/v1/privacy/requests/%00', '/v1/blocklist?format=%00']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status: 400, code: 'invalid_characters' });
    }
  });

  describe('F13: timestamps outside a sane window', () => {
    const stored = async (ip: string) => (await sql(t.config.database.url, 'SELECT 1 FROM signal WHERE ip = $1', [ip])).length;
    const item = (ip: string, started: string, stopped = new Date(Date.now() - 1_000).toISOString()) => ({
      ip,
      scenario: 'crowdsecurity/ssh-bf',
      started_at: started,
      stopped_at: stopped,
    });

    it.each(['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z'])(
      'refuses a signed batch whose started_at is %s, storing nothing',
      async (started) => {
        const ip = randomAttackerIp();
        const req = signBatch(agent, { signals: [item(ip, started)] });
        const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual(expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ field: 'signals.0.started_at' })] }));
        expect(await stored(ip)).toBe(0);
      },
    );

    it('still accepts a batch inside the window', async () => {
      const ip = randomAttackerIp();
      const req = signBatch(agent, { signals: [item(ip, new Date(Date.now() - 60_000).toISOString())] });
      const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      expect(res.statusCode).toBe(200);
      expect(await stored(ip)).toBe(1);
    });

    it('refuses CrowdSec alerts starting in year 0001, in the CrowdSec shape', async () => {
      const ip = randomAttackerIp();
      const res = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: watcher, payload: [capiSignal(ip, { start_at: '0001-01-01T00:00:00Z' })] });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json()).sort()).toEqual(['errors', 'message']);
      expect(await stored(ip)).toBe(0);
    });

    it('refuses a signed batch carrying a NUL as a whole (400 invalid_characters), storing nothing', async () => {
      const ip = randomAttackerIp();
      const req = signBatch(agent, { signals: [item(ip, new Date(Date.now() - 60_000).toISOString()), { ...item(randomAttackerIp(), new Date().toISOString()), ip: '1.2.3.4\u0000' }] });
      const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('invalid_characters');
      expect(await stored(ip)).toBe(0);
    });
  });
});
