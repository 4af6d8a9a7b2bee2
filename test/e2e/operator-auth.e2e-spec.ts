import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { createOrganization, enrollAgent } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('operator accounts, sessions, CSRF, roles and the audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  let seq = 0;
  async function operator(role: 'admin' | 'billing' | 'support') {
    seq++;
    const email = `ops${seq}-${Date.now()}@example.net`;
    await t.app.get(OperatorAuthService).createOperator(email, role, 'a-long-enough-password');
    return email;
  }

  async function login(email: string, password = 'a-long-enough-password') {
    const res = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password }, remoteAddress: `10.9.${seq}.1` });
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    return { res, cookie, cookies, csrf: res.statusCode === 200 ? (res.json().csrf_token as string) : '' };
  }

  it('logs in with a password and sets an httpOnly, SameSite session cookie', async () => {
    const email = await operator('support');
    const { res, cookies, cookie } = await login(email);
    expect(res.statusCode).toBe(200);
    const session = cookies.find((c) => c.startsWith('quorum_session='))!;
    expect(session).toContain('HttpOnly');
    expect(session).toContain('SameSite=Strict');
    const me = await t.app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } });
    expect(me.json()).toEqual(expect.objectContaining({ email, role: 'support' }));
  });

  it('stores only a slow hash of the password', async () => {
    const email = await operator('admin');
    const rows = await sql(t.config.database.url, 'SELECT password_hash FROM operator_user WHERE email = $1', [email]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain('a-long-enough-password');
  });

  it('requires the CSRF token on state-changing requests and enforces roles', async () => {
    const { enrollKey } = await createOrganization(t.app);
    const agent = await enrollAgent(t.app, enrollKey);
    const billing = await login(await operator('billing'));
    const support = await login(await operator('support'));
    const url = `/v1/agents/${agent.id}/revoke`;
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: support.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: billing.cookie, 'x-csrf-token': billing.csrf } })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url, headers: { cookie: support.cookie, 'x-csrf-token': support.csrf } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('revoked');
    const entries = await t.app.get(AuditService).recent(5);
    expect(entries.some((e) => e.action === 'agent.revoked' && e.target === `agent:${agent.id}`)).toBe(true);
  });

  it('refuses wrong passwords, then throttles that network for the account (never a lockout: see operator-login-throttle)', async () => {
    const email = await operator('admin');
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await login(email, 'wrong-password-123')).res.statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const throttled = await login(email);
    expect(throttled.res.statusCode).toBe(429);
    expect(throttled.res.json().code).toBe('login_throttled');
    expect(Number(throttled.res.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('logout ends the session', async () => {
    const { cookie, csrf } = await login(await operator('admin'));
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/logout', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('the audit chain verifies, and detects a row edited in the database', async () => {
    const audit = t.app.get(AuditService);
    await audit.record('test', 'test.entry', null, { n: 1 });
    expect((await audit.verify()).ok).toBe(true);
    await sql(t.config.database.url, "UPDATE audit_log SET details = '{\"n\":2}' WHERE action = 'test.entry'");
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    await sql(t.config.database.url, "UPDATE audit_log SET details = '{\"n\":1}' WHERE action = 'test.entry'");
    expect((await audit.verify()).ok).toBe(true);
  });
});
