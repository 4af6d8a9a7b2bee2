import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { MEMBER_CSRF_COOKIE, MEMBER_SESSION_COOKIE } from '../../src/members/member-session.authenticator.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { TOTP_STEP_SECONDS, totpCode } from '../../src/members/totp.js';
import { enrollAgent } from '../factories/agent.factory.js';
import { createMember } from '../support/principals.js';
import { SmtpInbox } from '../support/smtp-inbox.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';
import { auditEntries } from '../support/audit-entries.js';
import { fakeClock } from '../support/fake-clock.js';

// scrypt hashing and SMTP round trips: slow on a loaded machine
jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';
type Session = Record<string, string>;

/**
 * Issue 17, API level: a customer signs up, confirms the address from a message read on a real SMTP
 * server (smtp-server, in-process), signs in, creates a key, looks an IP up with it, invites a developer;
 * roles and organisations are kept apart; password change and reset end sessions; all of it audited.
 */
describe('customer accounts: sign-up, email, sessions, members', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  const inbox = new SmtpInbox();
  let source = 0;

  beforeAll(async () => {
    const smtpUrl = await inbox.start();
    t = await createTestApp({ QUORUM_SMTP_URL: smtpUrl, PUBLIC_URL: 'https://quorum.example.test' });
    app = t.app;
    await waitFor('the lookup index', 60_000, () => app.get(LookupIndexService).ready);
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await inbox.close();
  }, APP_BOOT_TIMEOUT_MS);

  const from = () => `10.230.${(++source >> 8) & 255}.${source & 255}`;
  const post = (url: string, payload: object, headers: Session = {}) => app.inject({ method: 'POST', url, payload, headers, remoteAddress: from() });
  const get = (url: string, headers: Session = {}) => app.inject({ method: 'GET', url, headers, remoteAddress: from() });

  async function login(email: string, password = PASSWORD): Promise<Session> {
    const res = await post('/v1/portal/login', { email, password });
    expect(res.statusCode).toBe(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.find((c) => c.startsWith(`${MEMBER_SESSION_COOKIE}=`))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith(`${MEMBER_CSRF_COOKIE}=`))).not.toMatch(/HttpOnly/);
    return { cookie: cookies.map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': res.json().csrf_token as string };
  }

  /** Signs up and confirms the address from the emailed link; returns the organisation and a session. */
  async function signUp(name: string): Promise<{ org: string; email: string; owner: string; session: Session }> {
    const email = `${name}-${Date.now()}@example.net`;
    const res = await post('/v1/portal/signup', { organization_name: name, email, password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email_sent: true, member: { role: 'owner', email, email_verified_at: null } });
    const mail = await inbox.waitFor(email, /Confirm your email/);
    expect(mail.text).toContain('https://quorum.example.test/app/#/verify-email?token=');
    expect((await post('/v1/portal/verify-email', { token: SmtpInbox.token(mail) })).statusCode).toBe(200);
    return { org: res.json().organization_id as string, email, owner: res.json().member.id as string, session: await login(email) };
  }

  it('signs up, verifies the address from the SMTP message, signs in, creates a key and looks up with it', async () => {
    const email = `first-${Date.now()}@example.net`;
    const res = await post('/v1/portal/signup', { organization_name: 'First Customer Ltd', email, password: PASSWORD });
    expect(res.statusCode).toBe(201);
    const org = res.json().organization_id as string;
    const [row] = await sql<{ kind: string }>(t.config.database.url, 'SELECT kind::text FROM organization WHERE id = $1', [org]);
    expect(row.kind).toBe('customer');
    const [stored] = await sql<{ password_hash: string }>(t.config.database.url, 'SELECT password_hash FROM member WHERE email = $1', [email]);
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    // no session before the address is confirmed; a second sign-up with the same address is refused
    const early = await post('/v1/portal/login', { email, password: PASSWORD });
    expect([early.statusCode, early.json().code]).toEqual([403, 'email_not_verified']);
    expect((await post('/v1/portal/signup', { organization_name: 'Again', email, password: PASSWORD })).json().code).toBe('email_taken');
    const token = SmtpInbox.token(await inbox.waitFor(email, /Confirm your email/));
    expect((await post('/v1/portal/verify-email', { token })).json().email_verified_at).toEqual(expect.any(String));
    expect((await post('/v1/portal/verify-email', { token })).statusCode).toBe(400);

    const session = await login(email);
    expect((await get('/v1/portal/me', session)).json()).toMatchObject({ email, role: 'owner', organization_id: org, organization: { id: org, name: 'First Customer Ltd', kind: 'customer', plan_id: 'free' } });
    // with an SMTP server there is no local outbox to read (the portal shows no dev banner)
    const outbox = await app.inject({ method: 'GET', url: '/v1/portal/dev/outbox', remoteAddress: '127.0.0.1' });
    expect([outbox.statusCode, outbox.json().code]).toEqual([404, 'outbox_disabled']);
    const noCsrf = await post(`/v1/organizations/${org}/api-keys`, { name: 'k' }, { cookie: session.cookie });
    expect([noCsrf.statusCode, noCsrf.json().code]).toEqual([403, 'csrf_failed']);
    const created = await post(`/v1/organizations/${org}/api-keys`, { name: 'first key', scopes: ['lookup'] }, session);
    expect(created.statusCode).toBe(201);
    const lookup = await get('/v1/ip/45.83.13.7', { 'x-api-key': created.json().key as string });
    expect(lookup.statusCode).toBe(200);

    const audit = await auditEntries(t.app, { actor: `member:${res.json().member.id}` });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['member.signed_up', 'member.email_verified', 'member.login', 'api_key.created']));
    expect((await post('/v1/portal/logout', {}, session)).statusCode).toBe(204);
    expect((await get('/v1/portal/me', session)).statusCode).toBe(401);
  });

  it('gives an API key an optional expiry: refused from then on, on the hot path too, and listed as expired', async () => {
    const a = await signUp('expiring');
    const keys = `/v1/organizations/${a.org}/api-keys`;
    const past = await post(keys, { name: 'late', expires_at: new Date(Date.now() - 60_000).toISOString() }, a.session);
    expect(past.statusCode).toBe(400);
    const tooFar = await post(keys, { name: 'far', expires_at: new Date(Date.now() + 3 * 366 * 86_400_000).toISOString() }, a.session);
    expect(tooFar.statusCode).toBe(400);
    expect((await post(keys, { name: 'bad', expires_at: 'tomorrow' }, a.session)).statusCode).toBe(400);

    const clock = fakeClock([app], Date.now());
    try {
      const expiresAt = new Date(clock.nowMs + 3_600_000).toISOString();
      const created = await post(keys, { name: 'one hour', scopes: ['lookup'], expires_at: expiresAt }, a.session);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ status: 'active', expires_at: expiresAt });
      const forever = await post(keys, { name: 'forever' }, a.session);
      expect(forever.json()).toMatchObject({ status: 'active', expires_at: null });
      const key = created.json().key as string;
      // resolved once, so the key is in the API's cache when it expires
      expect((await get('/v1/ip/45.83.13.9', { 'x-api-key': key })).statusCode).toBe(200);
      clock.advance(3_600_000 - 1_000);
      expect((await get('/v1/ip/45.83.13.9', { 'x-api-key': key })).statusCode).toBe(200);
      clock.advance(1_000);
      expect((await get('/v1/ip/45.83.13.9', { 'x-api-key': key })).statusCode).toBe(401);
      expect((await get('/v1/ip/45.83.13.9', { 'x-api-key': forever.json().key as string })).statusCode).toBe(200);
      const listed = (await get(keys, a.session)).json().api_keys as Array<{ name: string; status: string }>;
      expect(listed.map((k) => [k.name, k.status])).toEqual([
        ['one hour', 'expired'],
        ['forever', 'active'],
      ]);
    } finally {
      clock.restore();
    }
  });

  it('invites a developer: keys yes, billing and members no; a member never reaches another organisation', async () => {
    const a = await signUp('acme');
    const b = await signUp('other');
    const devEmail = `dev-${Date.now()}@example.net`;
    const invited = await post(`/v1/organizations/${a.org}/members/invitations`, { email: devEmail, role: 'developer' }, a.session);
    expect(invited.statusCode).toBe(201);
    const mail = await inbox.waitFor(devEmail, /invited to acme/);
    const accepted = await post('/v1/portal/invitations/accept', { token: SmtpInbox.token(mail), password: PASSWORD });
    expect(accepted.json()).toMatchObject({ role: 'developer', organization_id: a.org });
    const dev = await login(devEmail);

    expect((await post(`/v1/organizations/${a.org}/api-keys`, { name: 'dev key' }, dev)).statusCode).toBe(201);
    expect((await get(`/v1/organizations/${a.org}/usage`, dev)).statusCode).toBe(200);
    expect((await post('/v1/billing/checkout', { organization_id: a.org, plan_id: 'pro' }, dev)).statusCode).toBe(403);
    expect((await post(`/v1/organizations/${a.org}/members/invitations`, { email: 'x@example.net', role: 'viewer' }, dev)).statusCode).toBe(403);
    expect((await get(`/v1/organizations/${a.org}/members`, dev)).json().members).toHaveLength(2);

    for (const session of [a.session, dev]) {
      expect((await get(`/v1/organizations/${b.org}/api-keys`, session)).statusCode).toBe(403);
      expect((await post(`/v1/organizations/${b.org}/api-keys`, { name: 'stolen' }, session)).statusCode).toBe(403);
      expect((await get(`/v1/organizations/${b.org}/usage`, session)).statusCode).toBe(403);
      expect((await get(`/v1/organizations/${b.org}/members`, session)).statusCode).toBe(403);
    }
    // a member session is not an operator session
    expect((await get('/v1/admin/me', a.session)).statusCode).toBe(401);
    // an admin cannot hand out ownership; the last owner stays
    const adminEmail = `admin-${Date.now()}@example.net`;
    await post(`/v1/organizations/${a.org}/members/invitations`, { email: adminEmail, role: 'admin' }, a.session);
    await post('/v1/portal/invitations/accept', { token: SmtpInbox.token(await inbox.waitFor(adminEmail, /invited/)), password: PASSWORD });
    const admin = await login(adminEmail);
    expect((await post(`/v1/organizations/${a.org}/members/invitations`, { email: 'own@example.net', role: 'owner' }, admin)).statusCode).toBe(403);
    const removeOwner = await app.inject({ method: 'DELETE', url: `/v1/organizations/${a.org}/members/${a.owner}`, headers: admin });
    expect(removeOwner.statusCode).toBe(403);
    const devId = accepted.json().id as string;
    const setRole = (headers: Session, memberId: string, role: string) => app.inject({ method: 'PUT', url: `/v1/organizations/${a.org}/members/${memberId}/role`, headers, payload: { role }, remoteAddress: from() });
    expect((await setRole(admin, devId, 'owner')).statusCode).toBe(403);
    expect((await setRole(a.session, a.owner, 'viewer')).json().code).toBe('last_owner');
    expect((await setRole(b.session, devId, 'viewer')).statusCode).toBe(403);
    // the developer's open session follows the new role at once
    expect((await setRole(admin, devId, 'viewer')).json().role).toBe('viewer');
    expect((await post(`/v1/organizations/${a.org}/api-keys`, { name: 'now a viewer' }, dev)).statusCode).toBe(403);
    expect((await get(`/v1/organizations/${a.org}/api-keys`, dev)).statusCode).toBe(200);
    const audit = await auditEntries(t.app, { target: `organization:${a.org}`, action: 'member.invited' });
    expect(audit).toHaveLength(2);
    // a pending invitation can be withdrawn: its link stops working
    const laterEmail = `later-${Date.now()}@example.net`;
    await post(`/v1/organizations/${a.org}/members/invitations`, { email: laterEmail, role: 'billing' }, admin);
    const pending = (await get(`/v1/organizations/${a.org}/members/invitations`, dev)).json().invitations as Array<{ id: string; email: string; role: string }>;
    expect(pending).toEqual([expect.objectContaining({ email: laterEmail, role: 'billing' })]);
    expect((await app.inject({ method: 'DELETE', url: `/v1/organizations/${a.org}/members/invitations/${pending[0].id}`, headers: dev })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/v1/organizations/${a.org}/members/invitations/${pending[0].id}`, headers: admin })).statusCode).toBe(204);
    const late = await post('/v1/portal/invitations/accept', { token: SmtpInbox.token(await inbox.waitFor(laterEmail, /invited/)), password: PASSWORD });
    expect(late.statusCode).toBe(400);
  });

  it('ends every session on a password change and on a reset, and the reset link works once', async () => {
    const a = await signUp('rotating');
    const second = await login(a.email);
    const wrong = await post('/v1/portal/password', { current_password: 'not-the-password', new_password: 'another long password' }, a.session);
    expect(wrong.statusCode).toBe(401);
    expect((await post('/v1/portal/password', { current_password: PASSWORD, new_password: 'another long password' }, a.session)).statusCode).toBe(204);
    for (const session of [a.session, second]) expect((await get('/v1/portal/me', session)).statusCode).toBe(401);
    const fresh = await login(a.email, 'another long password');

    // reset: same answer for an unknown address, a message for the real one
    expect((await post('/v1/portal/password-reset', { email: `nobody-${Date.now()}@example.net` })).statusCode).toBe(202);
    expect((await post('/v1/portal/password-reset', { email: a.email })).statusCode).toBe(202);
    const token = SmtpInbox.token(await inbox.waitFor(a.email, /Reset your Quorum password/));
    expect((await post('/v1/portal/password-reset/confirm', { token, password: 'short' })).statusCode).toBe(400);
    expect((await post('/v1/portal/password-reset/confirm', { token, password: 'a third long password' })).statusCode).toBe(204);
    expect((await post('/v1/portal/password-reset/confirm', { token, password: 'a fourth long password' })).statusCode).toBe(400);
    expect((await get('/v1/portal/me', fresh)).statusCode).toBe(401);
    expect((await post('/v1/portal/login', { email: a.email, password: 'another long password' })).statusCode).toBe(401);
    await login(a.email, 'a third long password');
  });

  it('lets a developer run the organisation\'s agents: enrollment keys, agent list, revocation; never another organisation\'s', async () => {
    const a = await signUp('community');
    const b = await signUp('elsewhere');
    const developer = await createMember(app, a.org, 'developer');
    const created = await post(`/v1/organizations/${a.org}/enrollment-keys`, { name: 'web servers', ttl_days: 30 }, developer.headers);
    expect(created.statusCode).toBe(201);
    expect(created.json().key).toMatch(/^qek_/);
    const agent = await enrollAgent(app, created.json().key as string, 'web-1');
    const listed = await get(`/v1/organizations/${a.org}/agents`, developer.headers);
    expect((listed.json().agents as Array<{ id: string }>).map((x) => x.id)).toEqual([agent.id]);
    expect((await get(`/v1/organizations/${b.org}/agents`, developer.headers)).statusCode).toBe(403);
    expect((await post(`/v1/agents/${agent.id}/revoke`, {}, b.session)).statusCode).toBe(403);
    expect((await post(`/v1/agents/${agent.id}/revoke`, {}, developer.headers)).statusCode).toBe(200);
    const revoke = await app.inject({ method: 'DELETE', url: `/v1/organizations/${a.org}/enrollment-keys/${created.json().id as string}`, headers: developer.headers });
    expect(revoke.statusCode).toBe(204);
    expect((await get(`/v1/organizations/${a.org}/enrollment-keys`, developer.headers)).json().enrollment_keys[0].revoked_at).toEqual(expect.any(String));
    const audit = await auditEntries(t.app, { actor: `member:${developer.id}`, actionPrefix: 'enrollment_key.' });
    expect(audit.map((r) => r.action).sort()).toEqual(['enrollment_key.created', 'enrollment_key.revoked']);
  });

  it('turns two-factor sign-in on: a code is required, works once, and the next step\'s code signs in', async () => {
    const a = await signUp('two-factor');
    const setup = await post('/v1/portal/totp/setup', {}, a.session);
    expect(setup.statusCode).toBe(200);
    const secret = setup.json().secret as string;
    expect(setup.json().otpauth_uri).toContain(`secret=${secret}`);
    // codes of the current 30 s step and the next one (the server accepts one step of drift each way, each step once)
    const now = Date.now();
    const first = totpCode(secret, now);
    const next = totpCode(secret, now + TOTP_STEP_SECONDS * 1000);
    expect((await post('/v1/portal/totp/enable', { code: first }, a.session)).statusCode).toBe(204);
    expect((await get('/v1/portal/me', a.session)).json().totp_enabled).toBe(true);
    const without = await post('/v1/portal/login', { email: a.email, password: PASSWORD });
    expect([without.statusCode, without.json().code]).toEqual([401, 'totp_required']);
    const replayed = await post('/v1/portal/login', { email: a.email, password: PASSWORD, totp_code: first });
    expect([replayed.statusCode, replayed.json().code]).toEqual([401, 'invalid_totp']);
    expect((await post('/v1/portal/login', { email: a.email, password: PASSWORD, totp_code: next })).statusCode).toBe(200);
    expect((await post('/v1/portal/totp/setup', {}, a.session)).json().code).toBe('totp_enabled');
    expect((await post('/v1/portal/totp/disable', { password: 'not the password', code: next }, a.session)).statusCode).toBe(401);
    const audit = await auditEntries(t.app, { actor: `member:${a.owner}`, actionPrefix: 'member.totp' });
    expect(audit.map((r) => r.action).sort()).toEqual(['member.totp_enabled', 'member.totp_setup']);
  });

  it('lets the owner close the account: the organisation is erased and every member is signed out', async () => {
    const a = await signUp('closing');
    const viewerEmail = `viewer-${Date.now()}@example.net`;
    await post(`/v1/organizations/${a.org}/members/invitations`, { email: viewerEmail, role: 'viewer' }, a.session);
    await post('/v1/portal/invitations/accept', { token: SmtpInbox.token(await inbox.waitFor(viewerEmail, /invited/)), password: PASSWORD });
    const viewer = await login(viewerEmail);
    expect((await post(`/v1/privacy/organizations/${a.org}/erasure`, {}, viewer)).statusCode).toBe(403);
    expect((await post(`/v1/privacy/organizations/${a.org}/erasure`, {}, a.session)).statusCode).toBe(200);
    for (const session of [a.session, viewer]) expect((await get('/v1/portal/me', session)).statusCode).toBe(401);
    expect((await post('/v1/portal/login', { email: viewerEmail, password: PASSWORD })).statusCode).toBe(401);
  });
});

describe('customer accounts without an SMTP server: the local outbox', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({});
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => t?.close(), APP_BOOT_TIMEOUT_MS);

  it('keeps the verification message in email_outbox, whose link verifies the address', async () => {
    const email = `outbox-${Date.now()}@example.net`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/portal/signup', payload: { organization_name: 'Outbox Ltd', email, password: PASSWORD }, remoteAddress: '10.231.0.1' });
    expect(res.json()).toMatchObject({ email_sent: true });
    const [message] = await sql<{ subject: string; text: string }>(t.config.database.url, 'SELECT subject, text FROM email_outbox WHERE recipient = $1', [email]);
    expect(message.subject).toMatch(/Confirm your email/);
    const token = SmtpInbox.token({ to: [email], subject: message.subject, text: message.text });
    expect((await t.app.inject({ method: 'POST', url: '/v1/portal/verify-email', payload: { token }, remoteAddress: '10.231.0.2' })).statusCode).toBe(200);
  });

  it('bounds the invitations an organisation sends per day (each is an email to an address it chose)', async () => {
    const org = (await t.app.get(OrganizationsService).create('inviting', 'customer')).id;
    const owner = await createMember(t.app, org, 'owner');
    const invite = (i: number) =>
      t.app.inject({ method: 'POST', url: `/v1/organizations/${org}/members/invitations`, headers: owner.headers, payload: { email: `invitee-${i}-${Date.now()}@example.net`, role: 'viewer' }, remoteAddress: '10.231.1.1' });
    for (let i = 0; i < 50; i++) expect((await invite(i)).statusCode).toBe(201);
    const refused = await invite(50);
    expect([refused.statusCode, refused.json().code]).toEqual([429, 'rate_limited']);
    const [{ count }] = await sql<{ count: string }>(t.config.database.url, "SELECT count(*) FROM member_token WHERE organization_id = $1 AND purpose = 'invitation'", [org]);
    expect(Number(count)).toBe(50);
  });

  it('lists the plan rows\' list prices when Stripe is not configured', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/plans', remoteAddress: '10.231.0.3' });
    const pro = (res.json().plans as Array<{ id: string; price: unknown; purchasable: boolean }>).find((p) => p.id === 'pro');
    expect(pro).toMatchObject({ price: { amount_cents: 4_900, currency: 'usd', interval: 'month', source: 'plan' }, purchasable: false });
  });
});
