import { Redis } from 'ioredis';
import pg from 'pg';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { BILLING_RECORDS } from '../../src/billing/billing.erasure.js';
import { ConsensusService } from '../../src/consensus/consensus.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import { signBatch } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createOperator, createOrganizationWorld, OPERATOR_PASSWORD, type OrganizationWorld } from '../support/principals.js';

jest.setTimeout(180_000);

/** Needles found per table: every column of every row, as text (partitions through their parent). */
async function tableHits(db: string, needles: readonly string[]): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`,
    );
    const hits: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ t: string }>(`SELECT lower(x::text) AS t FROM "${name}" x`);
      const found = needles.filter((n) => rows.some((r) => r.t.includes(n.toLowerCase())));
      if (found.length > 0) hits[name] = found;
    }
    return hits;
  } finally {
    await client.end();
  }
}

/** Needles found in Redis (the test's whole database), per key: in the key's name or in its value, whatever its type. */
async function redisHits(url: string, needles: readonly string[]): Promise<Record<string, string[]>> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    const hits: Record<string, string[]> = {};
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const parts: string[] = [key];
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'set') parts.push(...(await redis.smembers(key)));
        else if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
        else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(...(await redis.zrange(key, '0', '-1')));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        const text = parts.join('\n').toLowerCase();
        const found = needles.filter((n) => text.includes(n.toLowerCase()));
        if (found.length > 0) hits[key] = found;
      }
    } while (cursor !== '0');
    return hits;
  } finally {
    redis.disconnect();
  }
}

/** Every identifier and secret the organisation's rows hold (read from the database before the erasure). */
async function identifiersOf(db: string, org: string): Promise<string[]> {
  const rows = await sql<{ v: string | null }>(
    db,
    `SELECT id::text AS v FROM organization WHERE id = $1 UNION SELECT name FROM organization WHERE id = $1
     UNION SELECT id::text FROM agent WHERE organization_id = $1 UNION SELECT machine_id FROM agent WHERE organization_id = $1
     UNION SELECT public_key FROM agent WHERE organization_id = $1 UNION SELECT password_hash FROM agent WHERE organization_id = $1
     UNION SELECT id::text FROM enrollment_key WHERE organization_id = $1 UNION SELECT prefix FROM enrollment_key WHERE organization_id = $1
     UNION SELECT key_hash FROM enrollment_key WHERE organization_id = $1
     UNION SELECT id::text FROM api_key WHERE organization_id = $1 UNION SELECT prefix FROM api_key WHERE organization_id = $1
     UNION SELECT key_hash FROM api_key WHERE organization_id = $1
     UNION SELECT id::text FROM crowdsec_bouncer_key WHERE organization_id = $1 UNION SELECT prefix FROM crowdsec_bouncer_key WHERE organization_id = $1
     UNION SELECT key_hash FROM crowdsec_bouncer_key WHERE organization_id = $1
     UNION SELECT id::text FROM operator_user WHERE organization_id = $1 UNION SELECT email FROM operator_user WHERE organization_id = $1
     UNION SELECT password_hash FROM operator_user WHERE organization_id = $1
     UNION SELECT s.token_hash FROM operator_session s JOIN operator_user o ON o.id = s.operator_id WHERE o.organization_id = $1
     UNION SELECT id::text FROM member WHERE organization_id = $1 UNION SELECT email FROM member WHERE organization_id = $1
     UNION SELECT password_hash FROM member WHERE organization_id = $1
     UNION SELECT s.token_hash FROM member_session s JOIN member m ON m.id = s.member_id WHERE m.organization_id = $1`,
    [org],
  );
  return rows.map((r) => r.v).filter((v): v is string => !!v && v.length >= 8);
}

describe('organisation erasure leaves no trace (GDPR R7, issue 23)', () => {
  let t: TestApp;
  let db: string;
  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
    db = t.config.database.url;
  });
  afterAll(async () => t.close());

  it('creates an organisation with everything, erases it, and finds nothing of it in any table or Redis key', async () => {
    const name = `no-trace-${Date.now()}`;
    const world: OrganizationWorld = await createOrganizationWorld(t.app, name, true);
    const org = world.id;
    // Signals: an IP only this organisation reports (its votes must be withdrawn everywhere).
    const onlyOurs = `194.19.${Date.now() % 200}.7`;
    const batch = signBatch(world.agent, { signals: [signal({ ip: onlyOurs })] });
    expect((await t.app.inject({ method: 'POST', url: '/v1/signals', headers: batch.headers, payload: batch.payload })).statusCode).toBe(200);
    await t.app.get(ConsensusService).tick();
    expect(await sql(db, 'SELECT reporters FROM ip_score WHERE ip_key = $1', [onlyOurs])).toHaveLength(1);
    // Lookups (usage counters, quota counters in Redis), a bouncer pull (stream cursor).
    expect((await t.app.inject({ method: 'GET', url: `/v1/ip/${onlyOurs}`, headers: { 'x-api-key': world.apiKey.key } })).statusCode).toBe(200);
    await t.app.get(LookupUsageService).flush();
    expect(await sql(db, 'SELECT 1 FROM usage_counter WHERE api_key_id = $1', [world.apiKey.id])).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/v1/decisions/stream?startup=true', headers: { 'x-api-key': world.bouncerKey.key } })).statusCode).toBe(200);
    // A failed operator login (throttle windows), an invitation window, billing records, kept mail.
    const admin = world.operators.admin!;
    await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email: admin.email, password: `${OPERATOR_PASSWORD}-wrong` }, remoteAddress: '10.99.1.1' });
    const owner = world.members.owner!;
    const invite = await t.app.inject({ method: 'POST', url: `/v1/organizations/${org}/members/invitations`, headers: owner.headers, payload: { email: `invitee-${Date.now()}@example.net`, role: 'viewer' } });
    expect(invite.statusCode).toBeLessThan(500);
    const customer = `cus_${Date.now()}`;
    await sql(db, 'INSERT INTO stripe_customer (organization_id, customer_id) VALUES ($1, $2)', [org, customer]);
    await sql(db, "INSERT INTO subscription (id, organization_id, customer_id, status, plan_id, state_at, updated_at) VALUES ($1, $2, $3, 'active', 'pro', 1, now())", [`sub_${Date.now()}`, org, customer]);
    await sql(db, "INSERT INTO invoice (id, organization_id, status, amount_cents, currency, created_at, updated_at) VALUES ($1, $2, 'paid', 4900, 'usd', now(), now())", [`in_${Date.now()}`, org]);
    await sql(db, "INSERT INTO stripe_event (id, type, created, payload, processed_at) VALUES ($1, 'invoice.paid', 1, $2, now())", [
      `evt_${Date.now()}`,
      JSON.stringify({ data: { object: { customer, metadata: { organization_id: org } } } }),
    ]);
    await sql(db, "INSERT INTO email_outbox (recipient, subject, text) VALUES ($1, 'hello', 'kept mail')", [owner.email]);

    const identities = t.app.get(ReporterIdentityService);
    const pseudonyms = await Promise.all([world.agent.id, world.watcher.agentId, world.victims.agentId].map((id) => identities.identify(org, id)));
    const secrets = [world.apiKey.key, world.bouncerKey.key, world.enrollKey, world.agent.token, world.watcher.token];
    const needles = [...new Set([...(await identifiersOf(db, org)), ...pseudonyms.flatMap((p) => [p.reporter, p.owner]), ...secrets])];
    expect(needles.length).toBeGreaterThan(30);
    const before = await tableHits(db, needles);
    for (const table of ['organization', 'agent', 'api_key', 'crowdsec_bouncer_key', 'operator_user', 'member', 'signal', 'reporter', 'usage_counter', 'crowdsec_cursor']) {
      expect(Object.keys(before)).toContain(table);
    }
    // Audit entries are pseudonymous from the start: no identifier of the organisation in them.
    expect(before.audit_log).toBeUndefined();
    expect(Object.keys(await redisHits(t.config.redis.url, needles)).length).toBeGreaterThan(0);
    const auditedBefore = (await sql<{ n: string }>(db, 'SELECT count(*) AS n FROM audit_log')).map((r) => Number(r.n))[0];
    expect(auditedBefore).toBeGreaterThan(5);

    const staff = await createOperator(t.app, 'admin', null);
    const res = await t.app.inject({ method: 'POST', url: `/v1/privacy/organizations/${org}/erasure`, headers: staff.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(expect.objectContaining({ status: 'completed' }));
    expect(await t.app.get(ConsensusService).handleRecompute()).toBe('done');

    // Its votes are withdrawn everywhere they counted: no aggregate, explanation or open listing.
    expect(await sql(db, 'SELECT 1 FROM ip_score WHERE ip_key = $1', [onlyOurs])).toHaveLength(0);
    expect(await sql(db, 'SELECT 1 FROM listing_explanation WHERE ip_key = $1', [onlyOurs])).toHaveLength(0);
    expect(await sql(db, 'SELECT 1 FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL', [onlyOurs])).toHaveLength(0);

    // No trace in any table; billing records (tax law, docs/privacy.md) keep the organisation id only.
    const after = await tableHits(db, needles);
    for (const table of BILLING_RECORDS) {
      expect({ table, found: (after[table] ?? []).filter((n) => n !== org) }).toEqual({ table, found: [] });
      delete after[table];
    }
    expect(after).toEqual({});
    // Nor in Redis, in any key name or value.
    expect(await redisHits(t.config.redis.url, needles)).toEqual({});
    // The audit log kept its entries and still verifies.
    expect((await sql<{ n: string }>(db, 'SELECT count(*) AS n FROM audit_log')).map((r) => Number(r.n))[0]).toBeGreaterThan(auditedBefore);
    expect((await t.app.get(AuditService).verify()).ok).toBe(true);
  });
});
