import { randomBytes } from 'node:crypto';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { hashToken } from '../../src/common/crypto/secret-token.js';
import { createOrganization } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { TOTP_STEP_SECONDS, totpCode } from '../../src/members/totp.js';
import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';

const PASSWORD = 'a-long-enough-password';
// production refuses published or weak secrets: fresh random ones, distinct
const PRODUCTION = {
  NODE_ENV: 'production',
  QUORUM_JWT_SECRET: randomBytes(32).toString('hex'),
  QUORUM_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
};

/** Issue 17: staff operators sign in with a TOTP code in production; enrolment needs the password, not a session. */
describe('operator two-factor sign-in', () => {
  let t: TestApp;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION);
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => t?.close(), APP_BOOT_TIMEOUT_MS);

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, remoteAddress: `10.77.${++seq % 250}.1` });

  async function operator(organizationId: string | null = null): Promise<string> {
    const email = `totp-${++seq}-${Date.now()}@example.net`;
    await t.app.get(OperatorAuthService).createOperator(email, 'admin', PASSWORD, organizationId);
    return email;
  }

  it('refuses a staff operator without two-factor, enrols with the password, then requires a fresh code', async () => {
    const started = new Date();
    const email = await operator();
    const refused = await post('/v1/admin/login', { email, password: PASSWORD });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'totp_enrolment_required']);
    expect(refused.headers['set-cookie']).toBeUndefined();

    // enrolment checks the password like a login
    expect((await post('/v1/admin/totp/setup', { email, password: 'wrong-password-here' })).json().code).toBe('invalid_credentials');
    const setup = await post('/v1/admin/totp/setup', { email, password: PASSWORD });
    expect(setup.statusCode).toBe(200);
    const secret = setup.json().secret as string;
    expect(setup.json().otpauth_uri).toContain(`secret=${secret}`);
    // still refused while pending
    expect((await post('/v1/admin/login', { email, password: PASSWORD })).json().code).toBe('totp_enrolment_required');
    expect((await post('/v1/admin/totp/enable', { email, password: PASSWORD, code: '000000' === totpCode(secret, Date.now()) ? '111111' : '000000' })).statusCode).toBe(400);
    // a code of the previous step: accepted once for enabling; the login then needs a later step
    const previous = totpCode(secret, Date.now() - TOTP_STEP_SECONDS * 1000);
    expect((await post('/v1/admin/totp/enable', { email, password: PASSWORD, code: previous })).statusCode).toBe(204);
    expect((await post('/v1/admin/totp/setup', { email, password: PASSWORD })).json().code).toBe('totp_enabled');

    expect((await post('/v1/admin/login', { email, password: PASSWORD })).json().code).toBe('totp_required');
    expect((await post('/v1/admin/login', { email, password: PASSWORD, totp_code: previous })).json().code).toBe('invalid_totp');
    const code = totpCode(secret, Date.now());
    const ok = await post('/v1/admin/login', { email, password: PASSWORD, totp_code: code });
    expect(ok.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie } })).json().email).toBe(email);
    // the same code does not open a second session
    expect((await post('/v1/admin/login', { email, password: PASSWORD, totp_code: code })).json().code).toBe('invalid_totp');

    const [row] = await sql<{ totp_enabled_at: Date | null }>(t.config.database.url, 'SELECT totp_enabled_at FROM operator_user WHERE email = $1', [email]);
    expect(row.totp_enabled_at).toBeInstanceOf(Date);
    // audit actors are pseudonymised (docs/privacy.md): look the actions up by time
    const actions = await sql<{ action: string }>(t.config.database.url, "SELECT action FROM audit_log WHERE action LIKE 'operator.%' AND at >= $1", [started]);
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['operator.login_refused', 'operator.totp_setup', 'operator.totp_enabled', 'operator.login']));
  });

  it('ends a staff session made before two-factor was required, and keeps it optional for organisation operators', async () => {
    const email = await operator();
    const [row] = await sql<{ id: string }>(t.config.database.url, 'SELECT id FROM operator_user WHERE email = $1', [email]);
    await sql(t.config.database.url, "INSERT INTO operator_session (id, token_hash, csrf_token, operator_id, expires_at) VALUES (gen_random_uuid(), $1, 'csrf', $2, now() + interval '1 hour')", [
hashToken('old-session-token'), row.id]);
    const me = await t.app.inject({ method: 'GET', url: '/v1/admin/me', headers: { cookie: 'quorum_session=old-session-token' } });
    expect([me.statusCode, me.json().code]).toEqual([401, 'session_expired']);

    const { organizationId: org } = await createOrganization(t.app, `totp-org-${seq}`);
    const orgOperator = await operator(org);
    expect((await post('/v1/admin/login', { email: orgOperator, password: PASSWORD })).statusCode).toBe(200);
  });
});
