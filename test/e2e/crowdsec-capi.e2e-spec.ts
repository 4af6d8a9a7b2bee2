import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { BouncerKeysService } from '../../src/crowdsec/bouncer-keys.service.js';
import { createOrganization, enrollAgent } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { listBodyProblems, v3StreamProblems } from '../crowdsec/capi-v3-contract.js';
import { capiSignal, listing, publishAndWait, randomAttackerIp as attackerIp, registerAndLogin, watcherCredentials } from '../crowdsec/capi-client.js';

const GO_DURATION = /^(\d+h)?(\d+m)?\d+s$/;
const CLASS = `cs-contract-${Date.now().toString(36)}`;
const SLASHED = `crowdsecurity/cs-contract-${Date.now().toString(36)}`;


describe('CrowdSec CAPI (v2 / v3) and bouncer stream', () => {
  let t: TestApp;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const stored = async (ip: string) => sql(t.config.database.url, "SELECT scenario, scenario_trust, encode(scenario_hash, 'hex') AS scenario_hash, source FROM signal WHERE ip = $1", [ip]);

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000', QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000', QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
  });
  afterAll(async () => t.close());

  describe('watchers', () => {
    it('registers idempotently, refuses another password, and logs in with an RFC 3339 expire and a JWT without organization_id', async () => {
      const creds = watcherCredentials();
      expect((await t.app.inject({ method: 'POST', url: '/v2/watchers', payload: creds })).json()).toEqual({ message: 'OK' });
      expect((await t.app.inject({ method: 'POST', url: '/v2/watchers/', payload: creds })).statusCode).toBe(200);
      const taken = await t.app.inject({ method: 'POST', url: '/v3/watchers', payload: { ...creds, password: 'x'.repeat(64) } });
      expect(taken.statusCode).toBe(403);
      expect(Object.keys(taken.json()).sort()).toEqual(['errors', 'message']);
      const login = await t.app.inject({ method: 'POST', url: '/v3/watchers/login', payload: { ...creds, scenarios: ['crowdsecurity/ssh-bf'] } });
      expect(login.statusCode).toBe(200);
      const body = login.json() as { code: number; expire: string; token: string };
      expect(body.code).toBe(200);
      expect(body.expire).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(typeof claims.exp).toBe('number');
      expect(claims).not.toHaveProperty('organization_id');
      expect(Math.abs((claims.exp as number) * 1000 - Date.parse(body.expire))).toBeLessThan(1000);
      expect((claims.exp as number) * 1000 - Date.now()).toBeGreaterThanOrEqual(3_590_000);
    });

    it('answers bad credentials and bad bodies in the CrowdSec error shape', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/v2/watchers/login', payload: { ...watcherCredentials(), scenarios: [] } });
      expect(bad.statusCode).toBe(403);
      expect(typeof bad.json().message).toBe('string');
      const missing = await t.app.inject({ method: 'POST', url: '/v2/watchers', payload: { machine_id: 'abc' } });
      expect(missing.statusCode).toBe(400);
      expect(typeof missing.json().errors).toBe('string');
    });

    it('enrolls by an organisation enrollment key: 403 bad key, 202 enrolled, 200 already', async () => {
      const creds = watcherCredentials();
      await t.app.inject({ method: 'POST', url: '/v2/watchers', payload: creds });
      const login = async () => (await t.app.inject({ method: 'POST', url: '/v2/watchers/login', payload: creds })).json().token as string;
      const token = await login();
      const { organizationId, enrollKey } = await createOrganization(t.app, 'CrowdSec org');
      const payload = (key: string) => ({ attachment_key: key, name: 'node1', tags: ['lab'], overwrite: false });
      const bad = await t.app.inject({ method: 'POST', url: '/v2/watchers/enroll', headers: bearer(token), payload: payload('qek_nope_nope') });
      expect(bad.statusCode).toBe(403);
      expect(bad.json().message).toBe('the attachment key provided is not valid');
      expect((await t.app.inject({ method: 'POST', url: '/v2/watchers/enroll', headers: bearer(token), payload: payload(enrollKey) })).statusCode).toBe(202);
      // Tokens name the agent, not its organisation: the session from before the move still works.
      expect((await t.app.inject({ method: 'POST', url: '/v3/watchers/enroll', headers: bearer(token), payload: payload(enrollKey) })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/v3/watchers/enroll', headers: bearer(await login()), payload: payload(enrollKey) })).statusCode).toBe(200);
      const rows = await sql(t.config.database.url, "SELECT organization_id FROM agent WHERE kind = 'crowdsec' AND organization_id = $1", [organizationId]);
      expect(rows).toHaveLength(1);
    });

    it('keeps a running engine\'s session across console enroll, a move with overwrite and a re-enroll: its next push is stored in the new organisation', async () => {
      const { token, machineId } = await registerAndLogin(t.app);
      const enroll = async (key: string, overwrite: boolean) =>
        (await t.app.inject({ method: 'POST', url: '/v2/watchers/enroll', headers: bearer(token), payload: { attachment_key: key, name: 'n', tags: [], overwrite } })).statusCode;
      const first = await createOrganization(t.app, 'first');
      const second = await createOrganization(t.app, 'second');
      expect(await enroll(first.enrollKey, false)).toBe(202);
      expect(await enroll(first.enrollKey, false)).toBe(200);
      expect(await enroll(second.enrollKey, true)).toBe(202);
      const ip = attackerIp();
      const pushed = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: bearer(token), payload: [capiSignal(ip)] });
      expect(pushed.statusCode).toBe(200);
      expect(await stored(ip)).toHaveLength(1);
      const deleted = await t.app.inject({ method: 'POST', url: '/v3/decisions/delete', headers: bearer(token), payload: [randomUUID()] });
      expect(deleted.statusCode).toBe(200);
      const agent = await sql(t.config.database.url, 'SELECT organization_id FROM agent WHERE machine_id = $1', [machineId]);
      expect(agent[0].organization_id).toBe(second.organizationId);
    });
  });

  describe('signals', () => {
    it('stores a captured-shape batch through native ingestion with scenario trust and hash, skipping manual decisions', async () => {
      const { token } = await registerAndLogin(t.app);
      const ip = attackerIp();
      const manual = attackerIp();
      const batch = [
        capiSignal(ip, { uuid: randomUUID(), kind: 'crowdsec', context: null, decisions: [{ duration: '4h', origin: 'crowdsec', scenario: 'x', scope: 'Ip', type: 'ban', value: ip }] }),
        capiSignal(manual, { scenario: 'manual test', scenario_hash: '', scenario_version: '', scenario_trust: 'manual', created_at: new Date().toISOString() }),
      ];
      const res = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: bearer(token), payload: batch });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ message: 'OK' });
      expect(await stored(ip)).toEqual([
        { scenario: 'crowdsecurity/ssh-bf', scenario_trust: 'certified', scenario_hash: '4441dcff07020f6690d998b7101e642359ba405c2abb83565bbbdcee36de280f', source: 'crowdsec' },
      ]);
      expect(await stored(manual)).toEqual([]);
    });

    it('accepts gzip bodies (v3)', async () => {
      const { token } = await registerAndLogin(t.app, 'v3');
      const ip = attackerIp();
      const res = await t.app.inject({
        method: 'POST',
        url: '/v3/signals',
        headers: { ...bearer(token), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: gzipSync(JSON.stringify([capiSignal(ip)])),
      });
      expect(res.statusCode).toBe(200);
      expect(await stored(ip)).toHaveLength(1);
    });

    it.each([
      ['a missing required field', (ip: string) => JSON.stringify([capiSignal(ip, { scenario: undefined })])],
      ['a wrong type', (ip: string) => JSON.stringify([capiSignal(ip, { source: { scope: 'Ip', value: 42 } })])],
      ['51 items', (ip: string) => JSON.stringify(Array.from({ length: 51 }, () => capiSignal(ip)))],
      ['garbage JSON', (ip: string) => `[{"scenario": "${ip}"`],
      ['an object instead of an array', (ip: string) => JSON.stringify({ signals: [capiSignal(ip)] })],
      ['a bad timestamp', (ip: string) => JSON.stringify([capiSignal(ip, { start_at: 'yesterday' })])],
    ])('refuses %s with a CrowdSec-shaped 400 and stores nothing', async (_name, body) => {
      const { token } = await registerAndLogin(t.app);
      const ip = attackerIp();
      const res = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: body(ip) });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json()).sort()).toEqual(['errors', 'message']);
      expect(typeof res.json().message).toBe('string');
      expect(await stored(ip)).toEqual([]);
    });

    it('refuses an expired token and a native agent token with CrowdSec-shaped errors', async () => {
      const { token } = await registerAndLogin(t.app);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign({ ...claims, iat: now - 7200, exp: now - 3600 }, t.config.auth.jwtSecret, { algorithm: 'HS256' });
      const ip = attackerIp();
      const res = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: bearer(expired), payload: [capiSignal(ip)] });
      expect(res.statusCode).toBe(401);
      expect(Object.keys(res.json()).sort()).toEqual(['errors', 'message']);
      // Correctly signed, right audience and issuer, but no exp: it would never expire, so it is refused.
      const { exp: _exp, iat: _iat, ...forever } = claims;
      const noExp = jwt.sign(forever, t.config.auth.jwtSecret, { algorithm: 'HS256' });
      expect(JSON.parse(Buffer.from(noExp.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
      const unexpiring = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: bearer(noExp), payload: [capiSignal(ip)] });
      expect(unexpiring.statusCode).toBe(401);
      expect(unexpiring.json().message).toContain('exp');
      const withExp = jwt.sign({ ...forever, exp: now + 600 }, t.config.auth.jwtSecret, { algorithm: 'HS256' });
      expect((await t.app.inject({ method: 'GET', url: '/v2/decisions/stream', headers: bearer(withExp) })).statusCode).toBe(200);
      const native = await enrollAgent(t.app, (await createOrganization(t.app, 'native')).enrollKey);
      const refused = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: bearer(native.token), payload: [capiSignal(ip)] });
      expect(refused.statusCode).toBe(403);
      expect(await stored(ip)).toEqual([]);
    });
  });

  describe('decisions', () => {
    it('v2: full list on startup, then per-watcher deltas with origin CAPI, type ban and Go durations', async () => {
      const { token } = await registerAndLogin(t.app);
      const [a, b] = [attackerIp(), attackerIp()];
      await publishAndWait(t.app, [listing(a, CLASS), listing(b, CLASS, 2)]);
      const startup = (await t.app.inject({ method: 'GET', url: '/v2/decisions/stream?startup=true', headers: bearer(token) })).json();
      const mine = startup.new.filter((d: { value: string }) => d.value === a || d.value === b);
      expect(mine).toHaveLength(2);
      for (const d of startup.new) {
        expect(d).toEqual({ duration: expect.stringMatching(GO_DURATION), origin: 'CAPI', scenario: expect.any(String), scope: expect.stringMatching(/^(Ip|Range)$/), type: 'ban', value: expect.any(String) });
      }
      expect(startup.deleted).toEqual([]);
      const again = (await t.app.inject({ method: 'GET', url: '/v2/decisions/stream?', headers: bearer(token) })).json();
      expect(again).toEqual({ new: [], deleted: [] });
      const c = attackerIp();
      await publishAndWait(t.app, [listing(b, CLASS, 1, 'remove'), listing(c, CLASS)]);
      const delta = (await t.app.inject({ method: 'GET', url: '/v2/decisions/stream', headers: bearer(token) })).json();
      expect(delta.new.map((d: { value: string }) => d.value)).toEqual([c]);
      expect(delta.deleted).toEqual([expect.objectContaining({ value: b, origin: 'CAPI', type: 'ban', scope: 'Ip' })]);
    });

    it('v3: grouped by scenario and scope, with links.blocklists (community and per scenario class, names with /) served as text honouring If-Modified-Since', async () => {
      const { token } = await registerAndLogin(t.app, 'v3');
      const ip = attackerIp();
      await publishAndWait(t.app, [listing(ip, SLASHED)]);
      const body = (await t.app.inject({ method: 'GET', url: '/v3/decisions/stream?startup=true', headers: bearer(token) })).json();
      // The shape a >= 1.5 engine requires (test/crowdsec/capi-v3-contract.ts, from its apiclient models).
      expect(v3StreamProblems(body)).toEqual([]);
      const group = body.new.find((g: { scenario: string }) => g.scenario === SLASHED);
      expect(group).toEqual({ scenario: SLASHED, scope: 'ip', decisions: expect.arrayContaining([{ value: ip, duration: expect.stringMatching(GO_DURATION) }]) });
      const names = body.links.blocklists.map((l: { name: string }) => l.name);
      expect(names).toEqual(expect.arrayContaining(['quorum-community-ip', `quorum-${SLASHED}-ip`]));
      const link = body.links.blocklists.find((l: { name: string }) => l.name === `quorum-${SLASHED}-ip`);
      expect(link).toEqual({ name: `quorum-${SLASHED}-ip`, url: expect.stringMatching(/^http:\/\/.+\/v3\/blocklists\//), remediation: 'ban', scope: 'ip', duration: expect.stringMatching(GO_DURATION) });
      // Every link, fetched the way the engine does: its URL as given, no credentials, one value per line.
      for (const l of body.links.blocklists as Array<{ name: string; url: string; scope: string }>) {
        const res = await t.app.inject({ method: 'GET', url: new URL(l.url).pathname });
        expect({ name: l.name, status: res.statusCode }).toEqual({ name: l.name, status: 200 });
        expect(listBodyProblems(l.scope, res.body)).toEqual([]);
        if (l.name === 'quorum-community-ip' || l.name === link.name) expect(res.body.split('\n')).toContain(ip);
      }
      const path = new URL(link.url).pathname;
      expect(path).toContain(encodeURIComponent(SLASHED));
      const list = await t.app.inject({ method: 'GET', url: path });
      const notModified = await t.app.inject({ method: 'GET', url: path, headers: { 'if-modified-since': String(list.headers['last-modified']) } });
      expect(notModified.statusCode).toBe(304);
      const old = await t.app.inject({ method: 'GET', url: path, headers: { 'if-modified-since': new Date(Date.now() - 86_400_000).toUTCString() } });
      expect(old.statusCode).toBe(200);
      const forged = await t.app.inject({ method: 'GET', url: path.replace(/\/[^/]+$/, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') });
      expect(forged.statusCode).toBe(403);
      const otherList = await t.app.inject({ method: 'GET', url: path.replace(`${encodeURIComponent(SLASHED)}-ip`, `${encodeURIComponent(SLASHED)}-range`) });
      expect(otherList.statusCode).toBe(403);
      const classesOnly = (await t.app.inject({ method: 'GET', url: '/v3/decisions/stream?community_pull=false', headers: bearer(token) })).json();
      expect(classesOnly.links.blocklists.map((l: { name: string }) => l.name)).not.toContain('quorum-community-ip');
      const none = (await t.app.inject({ method: 'GET', url: '/v3/decisions/stream?community_pull=false&additional_pull=false', headers: bearer(token) })).json();
      expect(none).toEqual({ new: [], deleted: [] });
    });

    it('accepts metrics (trailing slash), usage metrics (422 only for unusable ones) and decision deletions', async () => {
      const { token } = await registerAndLogin(t.app, 'v3');
      const metrics = { apil_version: 'v1.4.6', machines: [{ name: 'harness-agent', last_update: '2026-11-25 15:48:36 +0000 UTC' }], bouncers: [] };
      expect((await t.app.inject({ method: 'POST', url: '/v2/metrics/', headers: bearer(token), payload: metrics })).statusCode).toBe(200);
      const usage = { lapi: { version: 'v1.7.0', os: { name: 'debian', version: '12' }, metrics: [] }, log_processors: [], remediation_components: [] };
      expect((await t.app.inject({ method: 'POST', url: '/v3/usage-metrics', headers: bearer(token), payload: usage })).statusCode).toBe(201);
      const unusable = await t.app.inject({ method: 'POST', url: '/v3/usage-metrics', headers: bearer(token), payload: { log_processors: 'x' } });
      expect(unusable.statusCode).toBe(422);
      expect((await t.app.inject({ method: 'POST', url: '/v3/decisions/delete', headers: bearer(token), payload: [randomUUID()] })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/v3/decisions/delete', headers: bearer(token), payload: { x: 1 } })).statusCode).toBe(400);
      const rows = await sql(t.config.database.url, "SELECT m.kind FROM crowdsec_metrics m JOIN agent a ON a.id = m.agent_id WHERE a.machine_id IS NOT NULL ORDER BY kind");
      expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['metrics', 'usage']));
    });
  });

  describe('bouncer stream', () => {
    it('serves LAPI decisions per key with filters, HEAD, deltas and 403 for bad keys', async () => {
      const { organizationId } = await createOrganization(t.app, 'bouncers');
      const { key } = await t.app.get(BouncerKeysService).create(organizationId, 'fw1');
      const headers = { 'x-api-key': key, 'user-agent': 'crowdsec-custom-bouncer/-' };
      const [a, b] = [attackerIp(), attackerIp()];
      await publishAndWait(t.app, [listing(a, CLASS), listing(b, `${CLASS}-other`)]);
      const forbidden = await t.app.inject({ method: 'GET', url: '/v1/decisions/stream?startup=true', headers: { 'x-api-key': 'nope' } });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toEqual({ message: 'access forbidden' });
      const head = await t.app.inject({ method: 'HEAD', url: '/v1/decisions/stream', headers });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      const filtered = (await t.app.inject({ method: 'GET', url: `/v1/decisions/stream?startup=true&scenarios_not_containing=other`, headers })).json();
      const values = filtered.new.map((d: { value: string }) => d.value);
      expect(values).toContain(a);
      expect(values).not.toContain(b);
      expect(filtered.new.find((d: { value: string }) => d.value === a)).toEqual({
        id: expect.any(Number), duration: expect.stringMatching(GO_DURATION), origin: 'CAPI', scenario: CLASS, scope: 'Ip', type: 'ban', value: a,
      });
      expect((await t.app.inject({ method: 'GET', url: '/v1/decisions/stream?startup=true&scopes=range', headers })).json().new.some((d: { value: string }) => d.value === a)).toBe(false);
      expect((await t.app.inject({ method: 'GET', url: '/v1/decisions/stream?startup=true&origins=lists', headers })).json().new).toEqual([]);
      expect((await t.app.inject({ method: 'GET', url: '/v1/decisions/stream', headers })).json()).toEqual({ new: [], deleted: [] });
      await publishAndWait(t.app, [listing(a, CLASS, 1, 'remove')]);
      const delta = (await t.app.inject({ method: 'GET', url: '/v1/decisions/stream?', headers })).json();
      expect(delta.deleted).toEqual([expect.objectContaining({ value: a, origin: 'CAPI', duration: expect.stringMatching(/^-/) })]);
      expect(delta.new).toEqual([]);
      const rows = await sql(t.config.database.url, 'SELECT key_hash, last_pull_at, user_agent FROM crowdsec_bouncer_key WHERE organization_id = $1', [organizationId]);
      expect(rows[0].key_hash).not.toContain(key);
      expect(rows[0].user_agent).toBe('crowdsec-custom-bouncer/-');
    });
  });
});
