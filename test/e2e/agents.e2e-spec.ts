import { sign } from 'node:crypto';
import { AgentsService } from '../../src/agents/agents.service.js';
import { rotateMessage } from '../../src/agents/signed-messages.js';
import { createOrganization, enrollAgent, keyPair, nextSourceAddress, signedLogin, useSourceOctet } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('agents: enrollment, login, rotation, revocation', () => {
  let t: TestApp;
  beforeAll(async () => {
    useSourceOctet(77);
    t = await createTestApp({ QUORUM_LOGIN_MAX_PER_WINDOW: '5', QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '3' });
  });
  afterAll(async () => t.close());

  const enroll = (payload: object, remoteAddress = nextSourceAddress()) =>
    t.app.inject({ method: 'POST', url: '/v1/agents', payload, remoteAddress });

  it('enrolls with an enrollment key and never stores the raw source address', async () => {
    const { organizationId, enrollKey } = await createOrganization(t.app);
    const res = await enroll({ name: 'web-01', public_key: keyPair().publicKey, enroll_key: enrollKey, tags: ['eu'] }, '8.8.8.8');
    expect(res.statusCode).toBe(201);
    const agent = res.json();
    expect(agent).toEqual(expect.objectContaining({ organization_id: organizationId, name: 'web-01', kind: 'quorum', status: 'active', tags: ['eu'] }));
    const rows = await sql(t.config.database.url, 'SELECT * FROM agent WHERE id = $1', [agent.id]);
    expect(JSON.stringify(rows)).not.toContain('8.8.8.8');
    expect(rows[0].network_pseudonym).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses bad keys: unknown enrollment key 403, bad public key 400', async () => {
    expect((await enroll({ name: 'x', public_key: keyPair().publicKey, enroll_key: 'qek_nope_nope' })).json().code).toBe('invalid_enroll_key');
    const bad = await enroll({ name: 'x', public_key: 'not-a-key' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_public_key');
  });

  it('open registration creates a one-agent community organisation', async () => {
    const res = await enroll({ name: 'community-box', public_key: keyPair().publicKey });
    expect(res.statusCode).toBe(201);
    const org = await sql(t.config.database.url, 'SELECT kind FROM organization WHERE id = $1', [res.json().organization_id]);
    expect(org[0].kind).toBe('community');
  });

  it('caps enrollments per organisation per day (5) with Retry-After', async () => {
    const { enrollKey } = await createOrganization(t.app);
    for (let i = 0; i < 5; i++) expect((await enroll({ name: `a${i}`, public_key: keyPair().publicKey, enroll_key: enrollKey })).statusCode).toBe(201);
    const sixth = await enroll({ name: 'a6', public_key: keyPair().publicKey, enroll_key: enrollKey });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('enrollment_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(80_000);
  });

  it('caps enrollments per source /24 per day (3), across organisations', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push((await enroll({ name: `n${i}`, public_key: keyPair().publicKey }, `91.198.174.${10 + i}`)).statusCode);
    }
    expect(results).toEqual([201, 201, 201, 429]);
  });

  it('logs in with a signed challenge; the JWT has exp and works; a replayed login nonce is refused', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const [, payload] = agent.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(3600);
    const list = await t.app.inject({ method: 'GET', url: '/v1/agents', headers: { authorization: `Bearer ${agent.token}` } });
    expect(list.statusCode).toBe(200);
    expect(list.json().agents.map((a: { id: string }) => a.id)).toEqual([agent.id]);
    const body = signedLogin(agent.id, agent.privateKey);
    expect((await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: body })).statusCode).toBe(200);
    const replay = await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: body });
    expect(replay.statusCode).toBe(409);
  });

  it('refuses a login signed by another key, or too old', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const forged = await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, keyPair().privateKey) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('invalid_signature');
    const stale = await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, agent.privateKey, new Date(Date.now() - 10 * 60_000)) });
    expect(stale.statusCode).toBe(401);
  });

  it('rate limits logins per agent (429 after the limit)', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const codes = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, agent.privateKey) })).statusCode);
    }
    expect(codes.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(codes[5]).toBe(429);
  });

  it('rotates the key when signed by the old key, and refuses other signatures', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const next = keyPair();
    const sentAt = new Date().toISOString();
    const forged = sign(null, rotateMessage(agent.id, next.publicKey, sentAt), next.privateKey).toString('base64');
    const headers = { authorization: `Bearer ${agent.token}` };
    const refused = await t.app.inject({ method: 'POST', url: `/v1/agents/${agent.id}/keys`, headers, payload: { public_key: next.publicKey, sent_at: sentAt, signature: forged } });
    expect(refused.statusCode).toBe(401);
    const signature = sign(null, rotateMessage(agent.id, next.publicKey, sentAt), agent.privateKey).toString('base64');
    const ok = await t.app.inject({ method: 'POST', url: `/v1/agents/${agent.id}/keys`, headers, payload: { public_key: next.publicKey, sent_at: sentAt, signature } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().key_version).toBe(2);
    expect((await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, agent.privateKey) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, next.privateKey) })).statusCode).toBe(200);
  });

  it('a revoked agent gets 401 at once, even with a valid token', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const headers = { authorization: `Bearer ${agent.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/v1/agents', headers })).statusCode).toBe(200);
    await t.app.get(AgentsService).revoke(agent.id);
    const after = await t.app.inject({ method: 'GET', url: '/v1/agents', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('invalid_token');
  });

  it('the operator revocation route is closed to agents', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const res = await t.app.inject({ method: 'POST', url: `/v1/agents/${agent.id}/revoke`, headers: { authorization: `Bearer ${agent.token}` } });
    expect(res.statusCode).toBe(401);
  });

  it('refuses expired and tampered tokens', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const [h, p, s] = agent.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 999 })).toString('base64url'), s].join('.');
    const res = await t.app.inject({ method: 'GET', url: '/v1/agents', headers: { authorization: `Bearer ${tampered}` } });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/v1/agents' })).statusCode).toBe(401);
  });
});
