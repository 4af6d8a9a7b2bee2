import { AuditService } from '../../src/audit/audit.service.js';
import { ProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { IpRightsService } from '../../src/privacy/ip-rights.service.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { ipSubject } from '../../src/privacy/subject-hash.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { ensureDayPartitions } from '../support/signal-partitions.js';
import { tablesHoldingAddress } from '../support/tables-holding.js';

const DAY = 86_400_000;

/** Addresses of this file only (the shared factory's counter restarts in every test file). */
let ipCounter = 0;
function attackerIp(): string {
  ipCounter++;
  return `194.17.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}


describe('IP-holder rights (GDPR R8 access, R9 erasure and objection)', () => {
  let t: TestApp;
  let db: string;
  let proofServed = true;
  let source = 0;
  const from = () => `10.88.${++source}.1`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.config.database.url;
    // The proof is fetched from the IP itself in production; here it is served or not on demand.
    jest.spyOn(t.app.select(PrivacyModule).get(ProofVerifier), 'verify').mockImplementation(async () => proofServed);
    await ensureDayPartitions(t, [12, 10, 1, 0]);
  });
  afterAll(async () => t.close());

  async function seed(ip: string, opts: { signalDaysAgo: number; listed?: boolean }) {
    const received = new Date(Date.now() - opts.signalDaysAgo * DAY);
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       VALUES ($1, 'reporter-pid-secret', 'owner-pid-secret', 'quorum', $2, $2, 'ip', 'crowdsecurity/ssh-bf', $1, $1, 1)`,
      [received, ip],
    );
    const until = opts.listed ? new Date(Date.now() + DAY) : null;
    await sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_until, version, updated_at)
       VALUES ($1, 3.5, 4, 4, 4, '{ssh}', $2, $2, $3, $4, 1, $2)`,
      [ip, received, opts.listed ?? false, until],
    );
    await sql(
      db,
      `INSERT INTO listing_explanation (ip_key, listed_at, reason, score, asns, established, scenario_classes, first_seen, last_seen, voters, created_at)
       VALUES ($1, $2, 'consensus', 3.5, 4, 4, '{ssh}', $2, $2, '{reporter-pid-secret}', $2)`,
      [ip, received],
    );
    await sql(db, `INSERT INTO delisting_request (id, ip_key, ip, status, token_hash, created_at, closed_at) VALUES (gen_random_uuid(), $1, $1, 'rejected', 'h', $2, $2)`, [ip, received]);
  }

  async function request(kind: 'access' | 'erasure' | 'objection', ip: string) {
    const created = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip, kind }, remoteAddress: from() });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    const verified = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${body.id}/verify`, payload: { token: body.token }, remoteAddress: from() });
    return { created: body, verified };
  }

  it('without proof of control: 403, and the request stays pending', async () => {
    proofServed = false;
    try {
      const { created, verified } = await request('access', attackerIp());
      expect(verified.statusCode).toBe(403);
      expect(created.proof_url).toContain(`/.well-known/quorum-delisting/${created.id}`);
      const status = await t.app.inject({ method: 'GET', url: `/v1/privacy/requests/${created.id}` });
      expect(status.json()).toEqual(expect.objectContaining({ status: 'pending_proof', kind: 'ip_access' }));
    } finally {
      proofServed = true;
    }
  });

  it('access returns what is held, with no reporter identity or pseudonym', async () => {
    const ip = attackerIp();
    await seed(ip, { signalDaysAgo: 1, listed: true });
    const { verified } = await request('access', ip);
    expect(verified.statusCode).toBe(200);
    const access = verified.json().access;
    expect(Object.keys(access).sort()).toEqual(
      [
        'delisting_requests', 'explanation_records', 'first_seen', 'honeypot', 'last_seen', 'listed', 'listed_until', 'raw_signals', 'reporters', 'retention', 'scenario_classes', 'source_categories',
        // GDPR Art. 15 (test/e2e/privacy-access-report.e2e-spec.ts checks their content)
        'purposes', 'lawful_basis', 'categories', 'recipients', 'retention_periods', 'source', 'rights', 'complaint', 'automated_decision_making', 'copy',
      ].sort(),
    );
    expect(access).toEqual(expect.objectContaining({ listed: true, reporters: '3-5', raw_signals: 1, source_categories: ['quorum'], explanation_records: 1 }));
    expect(access.retention.raw_signals_until).not.toBeNull();
    expect(verified.body).not.toMatch(/pid-secret|voter|pseudonym|owner/);
    // Once answered, the request keeps no IP and no token.
    const [row] = await sql(db, 'SELECT ip, token_hash, status FROM privacy_request WHERE id = $1', [verified.json().id]);
    expect(row).toEqual({ ip: null, token_hash: null, status: 'completed' });
  });

  it('erasure of an inactive IP removes it from every table and leaves only a keyed-hash protection marker', async () => {
    const ip = attackerIp();
    await seed(ip, { signalDaysAgo: 10 });
    await sql(db, `INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in, removed_in) VALUES ($1, $1, 'ip', 'ssh', 3, now(), 1, 2)`, [ip]);
    expect((await tablesHoldingAddress(db, [ip])).length).toBeGreaterThanOrEqual(5);
    const { verified } = await request('erasure', ip);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual(expect.objectContaining({ status: 'completed', kind: 'ip_erasure', grounds: null }));
    expect(await tablesHoldingAddress(db, [ip])).toEqual([]);
    const hash = ipSubject(t.config.privacy.pseudonymSecret, ip);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    const [marker] = await sql<{ expires_at: Date }>(db, 'SELECT expires_at FROM ip_protection WHERE ip_hash = $1', [hash]);
    expect(Math.abs(marker.expires_at.getTime() - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect(await t.app.select(PrivacyModule).get(IpRightsService).protectedUntil(ip)).toEqual(marker.expires_at);
  });

  it('objection for a listed IP is refused with documented grounds and an audit entry', async () => {
    const ip = attackerIp();
    await seed(ip, { signalDaysAgo: 1, listed: true });
    const { verified } = await request('objection', ip);
    expect(verified.statusCode).toBe(200);
    expect(verified.json().status).toBe('refused');
    expect(verified.json().grounds).toMatch(/^listed: Recital 49/);
    expect(await sql(db, 'SELECT 1 FROM ip_score WHERE ip_key = $1', [ip])).toHaveLength(1);
    const entries = await t.app.get(AuditService).recent(10);
    const entry = entries.find((e) => e.target === `privacy:${verified.json().id}`);
    expect(entry).toEqual(expect.objectContaining({ action: 'privacy.ip_objection_refused', details: expect.objectContaining({ reason: 'listed' }) }));
    expect(JSON.stringify({ ...entry, id: String(entry?.id) })).not.toContain(ip);
  });

  it('erasure of an unlisted IP with a signal in the last 7 days is refused as active', async () => {
    const ip = attackerIp();
    await seed(ip, { signalDaysAgo: 1 });
    const { verified } = await request('erasure', ip);
    expect(verified.json()).toEqual(expect.objectContaining({ status: 'refused', grounds: expect.stringMatching(/^active:/) }));
  });

  it('refuses special-purpose addresses (the proof fetch never reaches private services)', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '::1', 'not-an-ip']) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip, kind: 'access' }, remoteAddress: from() });
      expect(res.statusCode).toBe(400);
    }
  });

  it('is rate limited per source address', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip: attackerIp(), kind: 'access' }, remoteAddress: '10.99.0.1' });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
