import { join } from 'node:path';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { scoringRun } from '../support/scoring.js';
import { HttpProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql, truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';

const DAY = 86_400_000;
const fixtures = join(__dirname, '..', 'fixtures', 'never-list');

describe('consensus behaviours through the real job: never-list, canaries, delisting', () => {
  let t: TestApp;
  const agents: TestAgent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', ...scoringTestOverrides() });
    await truncate(t.config.database.url, ['ip_score', 'listing_explanation', 'never_list_entry', 'dark_canary', 'delisting_request']);
    await sql(t.config.database.url, 'UPDATE consensus_cursor SET generation = generation + 1000');
    const identities = t.app.get(ReporterIdentityService);
    for (let i = 0; i < 5; i++) {
      const { enrollKey } = await createOrganization(t.app, `behaviour-org-${i}`);
      const agent = await enrollAgent(t.app, enrollKey, `b-${i}`);
      agents.push(agent);
      await push(agent, [attackerIp()]);
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      await sql(t.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        65_000 + i,
        `bnet-${i}`,
      ]);
    }
  });
  afterAll(async () => t.close());

  async function push(agent: TestAgent, ips: string[]) {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(res.statusCode).toBe(200);
  }

  const listed = async (ip: string) =>
    ((await sql(t.config.database.url, 'SELECT listed FROM ip_score WHERE ip_key = $1', [ip]))[0]?.listed as boolean | undefined) ?? false;

  it('never lists an address of an imported never-list category (crawler range file), whatever the votes', async () => {
    const result = await t.app.get(NeverListService).importFile(join(fixtures, 'googlebot.json'), 'crawler', 'googlebot');
    expect(result.added).toBe(3);
    const rows = await sql(t.config.database.url, "SELECT category, fetched_at FROM never_list_entry WHERE source = 'googlebot'");
    expect(rows.every((r) => r.category === 'crawler' && r.fetched_at instanceof Date)).toBe(true);
    for (const agent of agents.slice(0, 4)) await push(agent, ['66.249.64.5']);
    await scoringRun(t);
    expect(await listed('66.249.64.5')).toBe(false);
  });

  it('lists a routable attacker with the same votes (control)', async () => {
    const target = attackerIp();
    for (const agent of agents.slice(0, 4)) await push(agent, [target]);
    await scoringRun(t);
    expect(await listed(target)).toBe(true);
  });

  it('a verified delisting request suppresses the listing at the next run; an upheld review keeps it off', async () => {
    const target = attackerIp();
    for (const agent of agents.slice(0, 4)) await push(agent, [target]);
    await scoringRun(t);
    expect(await listed(target)).toBe(true);
    const created = await t.app.inject({ method: 'POST', url: '/v1/delisting-requests', payload: { ip: target }, remoteAddress: '198.18.0.1' });
    expect(created.statusCode).toBe(201);
    const { id, token, proof_url } = created.json();
    expect(proof_url).toBe(`http://${target}/.well-known/quorum-delisting/${id}`);
    // The proof lives on the internet: stub the HTTP fetch of it (every verifier instance).
    const spy = jest.spyOn(HttpProofVerifier.prototype, 'verifyBy').mockResolvedValue(null);
    expect((await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/verify`, payload: { token } })).statusCode).toBe(422);
    spy.mockResolvedValue('http');
    const verified = await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/verify`, payload: { token } });
    expect(verified.json()).toEqual(expect.objectContaining({ status: 'verified' }));
    expect(spy).toHaveBeenCalledWith(target, id, token);
    await scoringRun(t);
    expect(await listed(target)).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: `/v1/delisting-requests/${id}` })).json().status).toBe('suppressed');

    await t.app.get(OperatorAuthService).createOperator('reviewer@example.net', 'support', 'a-long-enough-password');
    const login = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email: 'reviewer@example.net', password: 'a-long-enough-password' } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const review = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/delisting-requests/${id}/review`,
      headers: { cookie, 'x-csrf-token': login.json().csrf_token },
      payload: { outcome: 'upheld', justification: 'residential customer, verified' },
    });
    expect(review.statusCode).toBe(200);
    const explanations = () => sql(t.config.database.url, 'SELECT 1 FROM listing_explanation WHERE ip_key = $1', [target]);
    expect((await explanations()).length).toBeGreaterThan(0);
    await scoringRun(t);
    // R4: once the upheld review closes, the explanation of the listing (its voters) goes.
    expect(await explanations()).toHaveLength(0);
    for (const agent of agents.slice(0, 4)) await push(agent, [target]);
    await scoringRun(t);
    expect(await listed(target)).toBe(false);
    const applied = await sql(t.config.database.url, 'SELECT closed_at FROM delisting_request WHERE id = $1', [id]);
    expect(applied[0].closed_at).toBeInstanceOf(Date);
    spy.mockRestore();
  });

  it('a report of a dark canary quarantines the reporter', async () => {
    await t.app.get(NeverListService).addCanary('45.33.32.0/24', 'test canary');
    const [agent] = agents;
    await push(agent, ['45.33.32.7']);
    await scoringRun(t);
    const { reporter } = await t.app.get(ReporterIdentityService).identify(agent.organizationId, agent.id);
    const rows = await sql(t.config.database.url, 'SELECT quarantined_at FROM reporter WHERE pseudonym = $1', [reporter]);
    expect(rows[0].quarantined_at).toBeInstanceOf(Date);
    expect(await listed('45.33.32.7')).toBe(false);
  });
});
