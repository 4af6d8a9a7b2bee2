import { randomInt } from 'node:crypto';
import { ProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { ensureDayPartitions } from '../support/signal-partitions.js';
import { tablesHoldingAddress } from '../support/tables-holding.js';

const DAY = 86_400_000;

/** Addresses of this file only: a random /16 of 195.x, a random IPv6 /48. */
const v4Base = `195.${randomInt(0, 256)}`;
let counter = 0;
const ipv4 = () => `${v4Base}.${++counter >> 8}.${counter & 255}`;
const v6Base = `2a01:4f9:${randomInt(1, 0xffff).toString(16)}`;
const ipv6Net = () => `${v6Base}:${(++counter).toString(16)}`;


describe('IP-holder access report (GDPR Art. 15) and per-address erasure, through the HTTP API', () => {
  let t: TestApp;
  let db: string;
  let source = 0;
  const from = () => `10.89.${++source >> 8}.${source & 255}`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.config.database.url;
    // The real proof fetch is exercised by privacy-proof-netns.e2e-spec.ts; here the holder always proves control.
    jest.spyOn(t.app.select(PrivacyModule).get(ProofVerifier), 'verify').mockImplementation(async () => true);
    await ensureDayPartitions(t, [12, 10, 1, 0]);
  });
  afterAll(async () => t.close());

  async function seedSignal(ip: string, key: string, daysAgo: number, scenario = 'crowdsecurity/ssh-bf') {
    const at = new Date(Date.now() - daysAgo * DAY);
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       VALUES ($1, 'reporter-pid-secret', 'owner-pid-secret', 'quorum', $2, $3, 'ip', $4, $1, $1, 1)`,
      [at, ip, key, scenario],
    );
    return at;
  }

  async function seedAggregate(key: string, daysAgo: number, opts: { listed?: boolean } = {}) {
    const at = new Date(Date.now() - daysAgo * DAY);
    await sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_until, version, updated_at)
       VALUES ($1, 3.5, 4, 4, 4, '{ssh}', $2, $2, $3, $4, 1, $2)`,
      [key, at, opts.listed ?? false, opts.listed ? new Date(Date.now() + DAY) : null],
    );
    await sql(
      db,
      `INSERT INTO listing_explanation (ip_key, listed_at, reason, score, asns, established, scenario_classes, first_seen, last_seen, voters, created_at)
       VALUES ($1, $2, 'consensus', 3.5, 4, 4, '{ssh}', $2, $2, '{reporter-pid-secret}', $2)`,
      [key, at],
    );
  }

  async function create(kind: 'access' | 'erasure' | 'objection', ip: string) {
    const created = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip, kind }, remoteAddress: from() });
    expect(created.statusCode).toBe(201);
    return created.json() as { id: string; token: string };
  }

  async function verify(request: { id: string; token: string }) {
    const res = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${request.id}/verify`, payload: { token: request.token }, remoteAddress: from() });
    expect(res.statusCode).toBe(200);
    return res;
  }

  it('answers every Art. 15 point and copies the rows held, without reporter identities', async () => {
    const ip = ipv4();
    const received = await seedSignal(ip, ip, 1);
    await seedAggregate(ip, 1, { listed: true });
    await sql(db, `INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in) VALUES ($1, $1, 'ip', 'ssh', 3.5, $2, 1)`, [ip, new Date(Date.now() + DAY)]);
    const res = await verify(await create('access', ip));
    const access = res.json().access;

    expect(access.purposes.length).toBeGreaterThan(0);
    expect(access.lawful_basis).toEqual({ article: expect.stringContaining('6(1)(f)'), explanation: expect.stringContaining('Recital 49') });
    expect(access.categories.length).toBeGreaterThan(0);
    expect(access.recipients.length).toBeGreaterThan(0);
    expect(access.retention_periods).toEqual({
      raw_reports_days: t.config.privacy.retention.signalDays,
      aggregate_days_after_last_report: t.config.privacy.retention.ipScoreDays,
      explanation_days: t.config.privacy.retention.explanationDays,
      published_decision_max_hours: 96,
      blocklist_history_days: t.config.privacy.retention.blocklistDays,
      delisting_records_days_after_closure: t.config.privacy.retention.delistingDays,
      privacy_requests_days_after_closure: t.config.privacy.retention.privacyRequestDays,
    });
    expect(access.source).toMatch(/Art\. 14/);
    expect(access.rights.map((r: { right: string }) => r.right)).toEqual(expect.arrayContaining([expect.stringMatching(/^erasure/), expect.stringMatching(/^objection/), expect.stringMatching(/^access/)]));
    expect(access.complaint).toMatch(/supervisory authority/);
    expect(access.automated_decision_making).toEqual(expect.objectContaining({ exists: true, logic: expect.stringMatching(/honeypot/), human_review: expect.stringContaining('/v1/delisting-requests') }));

    // The copy: exactly the stored rows, with no reporter column.
    expect(access.copy.signals).toEqual([
      { ip, received_at: received.toISOString(), source: 'quorum', scenario: 'crowdsecurity/ssh-bf', started_at: received.toISOString(), stopped_at: received.toISOString() },
    ]);
    expect(access.copy.explanations).toEqual([expect.objectContaining({ reason: 'consensus', scenario_classes: ['ssh'] })]);
    expect(Object.keys(access.copy.explanations[0]).sort()).toEqual(['first_seen', 'last_seen', 'listed_at', 'reason', 'scenario_classes', 'score']);
    expect(access.copy.blocklist_entries).toEqual([expect.objectContaining({ value: ip, scenario_class: 'ssh', current: true })]);
    expect(access.listed).toBe(true);
    expect(res.body).not.toMatch(/pid-secret|voter|pseudonym|owner/);
  });

  it('IPv6: erasing one address removes its rows only; the /64 aggregate goes with the last address', async () => {
    const net = ipv6Net();
    const key = `${net}::/64`;
    const a = `${net}::a`;
    const b = `${net}::b`;
    await seedSignal(a, key, 10);
    await seedSignal(b, key, 10);
    await seedAggregate(key, 10);
    await sql(db, `INSERT INTO delisting_request (id, ip_key, ip, status, token_hash, created_at, closed_at) VALUES (gen_random_uuid(), $1, $2, 'rejected', 'h', now(), now())`, [key, a]);
    await sql(db, `INSERT INTO delisting_request (id, ip_key, ip, status, token_hash, created_at, closed_at) VALUES (gen_random_uuid(), $1, $2, 'rejected', 'h', now(), now())`, [key, b]);

    // The access report of one address copies that address's reports only.
    const access = (await verify(await create('access', a))).json().access;
    expect(access.copy.signals.map((s: { ip: string }) => s.ip)).toEqual([a]);
    expect(access.raw_signals).toBe(1);

    const first = await verify(await create('erasure', a));
    expect(first.json()).toEqual(expect.objectContaining({ status: 'completed', kind: 'ip_erasure' }));
    expect(await tablesHoldingAddress(db, [a])).toEqual([]);
    // The other address of the /64 keeps its reports and delisting record; the /64 aggregate stays for it.
    expect(await sql(db, 'SELECT ip FROM signal WHERE ip_key = $1', [key])).toEqual([{ ip: b }]);
    expect(await sql(db, 'SELECT ip FROM delisting_request WHERE ip_key = $1', [key])).toEqual([{ ip: b }]);
    expect(await sql(db, 'SELECT 1 FROM ip_score WHERE ip_key = $1', [key])).toHaveLength(1);

    await verify(await create('erasure', b));
    expect(await tablesHoldingAddress(db, [a, b, key])).toEqual([]);
  });

  it('other pending requests for an erased IP drop the raw IP and the token at once', async () => {
    const ip = ipv4();
    await seedSignal(ip, ip, 10);
    const pendingAccess = await create('access', ip);
    const pendingObjection = await create('objection', ip);
    const other = ipv4();
    const unrelated = await create('access', other);
    await verify(await create('erasure', ip));

    const rows = await sql<{ id: string; ip: string | null; token_hash: string | null; status: string }>(db, 'SELECT id, ip, token_hash, status FROM privacy_request WHERE id = ANY($1::uuid[])', [
      [pendingAccess.id, pendingObjection.id, unrelated.id],
    ]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    for (const id of [pendingAccess.id, pendingObjection.id]) expect(byId[id]).toEqual({ id, ip: null, token_hash: null, status: 'superseded' });
    expect(byId[unrelated.id]).toEqual(expect.objectContaining({ ip: other, status: 'pending_proof' }));
    expect(await tablesHoldingAddress(db, [ip])).toEqual([]);
    const status = await t.app.inject({ method: 'GET', url: `/v1/privacy/requests/${pendingAccess.id}` });
    expect(status.json().status).toBe('superseded');
    // A superseded request cannot be verified any more.
    const late = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${pendingAccess.id}/verify`, payload: { token: pendingAccess.token }, remoteAddress: from() });
    expect(late.statusCode).toBe(409);
  });

  it('an expired blocklist entry that no publication has closed yet is removed by the erasure', async () => {
    const ip = ipv4();
    await seedSignal(ip, ip, 10);
    await sql(db, `INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in) VALUES ($1, $1, 'ip', 'ssh', 3, $2, 1)`, [ip, new Date(Date.now() - DAY)]);
    const res = await verify(await create('erasure', ip));
    expect(res.json().status).toBe('completed');
    expect(await tablesHoldingAddress(db, [ip])).toEqual([]);
  });
});
