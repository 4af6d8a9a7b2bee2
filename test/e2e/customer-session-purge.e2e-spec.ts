import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { FixedClock } from '../../src/infra/clock/clock.js';
import { JobName, jobSchedules } from '../../src/infra/queue/queue.constants.js';
import { SessionPurgeRepository } from '../../src/members/session-purge.repository.js';
import { SessionPurgeService } from '../../src/members/session-purge.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createMember } from '../support/principals.js';
import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';


const HOUR = 3_600_000;

/** Issue 17: expired sessions and emailed tokens are deleted by the hourly purge job, judged by an injected clock. */
describe('session and token purge', () => {
  let t: TestApp;
  let db: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.config.database.url;
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => t?.close(), APP_BOOT_TIMEOUT_MS);

  const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers, remoteAddress: `10.78.${++seq % 250}.1` });
  const count = async (table: string, column: string, id: string): Promise<number> => (await sql<{ n: number }>(db, `SELECT COUNT(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id]))[0].n;

  it('is declared as an hourly job', () => {
    expect(jobSchedules(t.config)[JobName.SessionPurge]).toEqual({ every: HOUR });
  });

  it('deletes sessions past their expiry and tokens expired or used a day ago, and nothing live', async () => {
    const start = new Date();
    const clock = new FixedClock(start);
    const purge = new SessionPurgeService(t.app.get(SessionPurgeRepository), t.app.get(OperatorAuthService), clock);

    // an operator session and a member session (8 hours each)
    const opEmail = `purge-op-${Date.now()}@example.net`;
    const { operator } = await t.app.get(OperatorAuthService).createOperator(opEmail, 'support', 'a-long-enough-password');
    expect((await post('/v1/admin/login', { email: opEmail, password: 'a-long-enough-password' })).statusCode).toBe(200);
    const org = (await t.app.get(OrganizationsService).create(`purge-${Date.now()}`, 'customer')).id;
    const owner = await createMember(t.app, org, 'owner');
    // a sign-up leaves a verification token (48 h); an invitation (7 days), one withdrawn at once
    const email = `purge-${Date.now()}@example.net`;
    const signup = await post('/v1/portal/signup', { organization_name: 'Purge Ltd', email, password: 'a-long-enough-password' });
    expect(signup.statusCode).toBe(201);
    const newOrg = signup.json().organization_id as string;
    expect((await post(`/v1/organizations/${org}/members/invitations`, { email: `invited-${Date.now()}@example.net`, role: 'developer' }, owner.headers)).statusCode).toBe(201);
    expect((await post(`/v1/organizations/${org}/members/invitations`, { email: `withdrawn-${Date.now()}@example.net`, role: 'viewer' }, owner.headers)).statusCode).toBe(201);
    const [withdrawn] = await sql<{ id: string }>(db, "SELECT id FROM member_token WHERE organization_id = $1 AND email LIKE 'withdrawn-%'", [org]);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/organizations/${org}/members/invitations/${withdrawn.id}`, headers: owner.headers })).statusCode).toBe(204);

    expect(await count('operator_session', 'operator_id', operator.id)).toBe(1);
    expect(await count('member_session', 'member_id', owner.id)).toBe(1);
    expect(await count('member_token', 'organization_id', newOrg)).toBe(1);
    expect(await count('member_token', 'organization_id', org)).toBe(2);

    // now: nothing live goes; the withdrawn invitation is used (kept a day for "already used")
    await purge.purge();
    expect(await count('operator_session', 'operator_id', operator.id)).toBe(1);
    expect(await count('member_session', 'member_id', owner.id)).toBe(1);
    expect(await count('member_token', 'organization_id', org)).toBe(2);

    // 9 hours on: both sessions expired, the withdrawn invitation is past its expiry (set at withdrawal)
    clock.set(new Date(start.getTime() + 9 * HOUR));
    const report = await purge.purge();
    expect(report.operator_session).toBeGreaterThanOrEqual(1);
    expect(await count('operator_session', 'operator_id', operator.id)).toBe(0);
    expect(await count('member_session', 'member_id', owner.id)).toBe(0);
    expect(await count('member_token', 'organization_id', org)).toBe(1);
    expect(await count('member_token', 'organization_id', newOrg)).toBe(1);

    // 49 hours: the verification link has expired; 7 days and an hour: the invitation too
    clock.set(new Date(start.getTime() + 49 * HOUR));
    await purge.purge();
    expect(await count('member_token', 'organization_id', newOrg)).toBe(0);
    expect(await count('member_token', 'organization_id', org)).toBe(1);
    clock.set(new Date(start.getTime() + (7 * 24 + 1) * HOUR));
    await purge.purge();
    expect(await count('member_token', 'organization_id', org)).toBe(0);
  });
});
