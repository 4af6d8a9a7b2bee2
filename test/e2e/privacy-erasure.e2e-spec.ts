import pg from 'pg';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { ConsensusService } from '../../src/consensus/consensus.service.js';
import { BILLING_RECORDS } from '../../src/billing/billing.erasure.js';
import { createOrganization, enrollAgent, keyPair, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const DAY = 86_400_000;

/** Addresses of this file only (the shared factory's counter restarts in every test file). */
let ipCounter = 0;
function attackerIp(): string {
  ipCounter++;
  return `194.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Tables (and how many rows) whose row text contains any of `needles`: every column, any type. */
async function tablesHolding(db: string, needles: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`,
    );
    const patterns = needles.map((n) => `%${n.toLowerCase()}%`);
    const hits: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" x WHERE lower(x::text) LIKE ANY($1::text[])`, [patterns]);
      if (Number(rows[0].n) > 0) hits[name] = Number(rows[0].n);
    }
    return hits;
  } finally {
    await client.end();
  }
}

describe('organisation erasure (GDPR R7)', () => {
  let t: TestApp;
  let db: string;
  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
    db = t.config.database.url;
  });
  afterAll(async () => t.close());

  async function push(agent: TestAgent, ips: string[]) {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    return t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
  }

  async function establish(list: TestAgent[], asnBase: number) {
    const identities = t.app.get(ReporterIdentityService);
    for (let i = 0; i < list.length; i++) {
      const { reporter } = await identities.identify(list[i].organizationId, list[i].id);
      await sql(db, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [
        reporter, new Date(Date.now() - 200 * DAY), asnBase + i, `net-${asnBase + i}`,
      ]);
    }
  }

  let seq = 0;
  async function operatorSession(organizationId: string | null, role: 'admin' | 'support' = 'support') {
    seq++;
    const email = `privacy-ops${seq}-${Date.now()}@example.net`;
    const { operator } = await t.app.get(OperatorAuthService).createOperator(email, role, 'a-long-enough-password');
    if (organizationId) await sql(db, 'UPDATE operator_user SET organization_id = $2 WHERE id = $1', [operator.id, organizationId]);
    const res = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: `10.77.${seq}.1` });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    return { email, headers: { cookie, 'x-csrf-token': res.json().csrf_token as string } };
  }

  it('revokes credentials, withdraws votes, destroys the key, leaves no trace, and confirms', async () => {
    const orgName = `erase-me-${Date.now()}`;
    const erased = await createOrganization(t.app, orgName);
    const victimAgents = [];
    for (let i = 0; i < 3; i++) victimAgents.push(await enrollAgent(t.app, erased.enrollKey, `victim-${i}`));
    // Listing needs 3 owners in 3 ASNs (minVoters, minAsns): the erased organisation is the third.
    const others: TestAgent[] = [];
    for (let i = 0; i < 2; i++) {
      const { enrollKey } = await createOrganization(t.app, `other-${i}`);
      others.push(await enrollAgent(t.app, enrollKey, `other-${i}`));
    }
    const shared = attackerIp();
    const onlyVictim = attackerIp();
    expect((await push(victimAgents[0], [shared, onlyVictim])).statusCode).toBe(200);
    expect((await push(victimAgents[1], [onlyVictim])).statusCode).toBe(200);
    for (const agent of others) expect((await push(agent, [shared])).statusCode).toBe(200);
    await establish([victimAgents[0], ...others], 64_700);
    await t.app.get(ConsensusService).tick();
    const listedBefore = await sql<{ listed: boolean }>(db, 'SELECT listed FROM ip_score WHERE ip_key = $1', [shared]);
    expect(listedBefore[0].listed).toBe(true);

    const identities = t.app.get(ReporterIdentityService);
    const pids = await Promise.all(victimAgents.map((a) => identities.identify(erased.organizationId, a.id)));
    const needles = [erased.organizationId, orgName, ...victimAgents.map((a) => a.id), pids[0].owner, ...pids.map((p) => p.reporter)];
    expect(Object.keys(await tablesHolding(db, needles)).length).toBeGreaterThan(3);

    const stranger = await operatorSession(others[0].organizationId);
    const url = `/v1/privacy/organizations/${erased.organizationId}/erasure`;
    expect((await t.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url, headers: stranger.headers })).statusCode).toBe(403);

    const member = await operatorSession(erased.organizationId);
    const res = await t.app.inject({ method: 'POST', url, headers: member.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(expect.objectContaining({ kind: 'organization_erasure', status: 'completed' }));

    // Credentials fail at once.
    expect([401, 403]).toContain((await push(victimAgents[2], [attackerIp()])).statusCode);
    const enroll = await t.app.inject({ method: 'POST', url: '/v1/agents', payload: { name: 'late', public_key: keyPair().publicKey, enroll_key: erased.enrollKey }, remoteAddress: '45.250.1.10' });
    expect(enroll.statusCode).toBeGreaterThanOrEqual(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/me', headers: member.headers })).statusCode).toBe(401);
    // The key is destroyed: pseudonyms can no longer be computed for the organisation.
    await expect(identities.identify(erased.organizationId, victimAgents[0].id)).rejects.toThrow();

    // Votes withdrawn: the rebuild from the remaining signals unlists the IP and closes its entry.
    expect(await t.app.get(ConsensusService).handleRecompute()).toBe('done');
    const after = await sql<{ listed: boolean }>(db, 'SELECT listed FROM ip_score WHERE ip_key = $1', [shared]);
    expect(after[0]?.listed ?? false).toBe(false);
    expect(await sql(db, 'SELECT 1 FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL', [shared])).toHaveLength(0);
    expect(await sql(db, 'SELECT 1 FROM signal WHERE coalesce(ip_key, ip) = $1', [onlyVictim])).toHaveLength(0);

    // No trace in any table, except billing records kept for tax law.
    const hits = await tablesHolding(db, needles);
    for (const table of BILLING_RECORDS) delete hits[table];
    expect(hits).toEqual({});

    // Audit entry and confirmation.
    const entries = await t.app.get(AuditService).recent(20);
    expect(entries.some((e) => e.action === 'privacy.organization_erased' && e.target === `privacy:${res.json().id}`)).toBe(true);
    const status = await t.app.inject({ method: 'GET', url: `/v1/privacy/requests/${res.json().id}` });
    expect(status.json()).toEqual(expect.objectContaining({ status: 'completed' }));
    expect((await t.app.get(AuditService).verify()).ok).toBe(true);
  });

  it('an admin may erase any organisation; an unknown organisation is 404', async () => {
    const admin = await operatorSession(null, 'admin');
    const { organizationId } = await createOrganization(t.app, 'admin-erased');
    const ok = await t.app.inject({ method: 'POST', url: `/v1/privacy/organizations/${organizationId}/erasure`, headers: admin.headers });
    expect(ok.statusCode).toBe(200);
    expect(await sql(db, 'SELECT 1 FROM organization WHERE id = $1', [organizationId])).toHaveLength(0);
    const missing = await t.app.inject({ method: 'POST', url: '/v1/privacy/organizations/00000000-0000-4000-8000-00000000beef/erasure', headers: admin.headers });
    expect(missing.statusCode).toBe(404);
  });
});
