import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { createOperator, type Operator } from '../support/principals.js';
import { scoringRun } from '../support/scoring.js';

const DAY = 86_400_000;

/**
 * The console's listings routes and the community actions over the real stack (docs/operators.md,
 * "Listings" and "Community"): four aged members of four networks report two IPs of one /24, a scoring
 * run lists them; the search, the operator explanation and the version history read them back. A fifth
 * agent hits a dark canary, is quarantined by the engine, released by an admin, and the next run applies it.
 */
describe('operator console: listings and quarantine release (API)', () => {
  let t: TestApp;
  let admin: Operator;
  let support: Operator;
  let billing: Operator;
  const voters: TestAgent[] = [];
  const pseudonyms: string[] = [];
  let outlier: TestAgent;
  // 185.x.y.0/24 with two targets: a network no other test file reports (random second and third octets)
  const net = `185.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  const [first, second] = [`${net}.10`, `${net}.11`];

  async function push(agent: TestAgent, ips: string[]): Promise<void> {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(`${res.statusCode} ${res.body}`).toMatch(/^200 /);
  }

  const get = (url: string, who: Operator | null = admin) => t.app.inject({ method: 'GET', url, headers: who?.headers ?? {} });

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', ...scoringTestOverrides() });
    const identities = t.app.get(ReporterIdentityService);
    for (let i = 0; i < 5; i++) {
      const { enrollKey } = await createOrganization(t.app, `listings-org-${i}`);
      const agent = await enrollAgent(t.app, enrollKey, `listings-agent-${i}`);
      await push(agent, i < 4 ? [first, second] : [`${net}.99`]);
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      // aged, established members, each in its own network
      await sql(t.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4, updated_at = now() WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        64_900 + i,
        `listings-net-${i}`,
      ]);
      if (i < 4) {
        voters.push(agent);
        pseudonyms.push(reporter);
      } else outlier = agent;
    }
    expect((await scoringRun(t)).outcome).toBe('done');
    admin = await createOperator(t.app, 'admin', null);
    support = await createOperator(t.app, 'support', null);
    billing = await createOperator(t.app, 'billing', null);
  }, 180_000);
  afterAll(async () => t?.close());

  it('searches one IP and a /24: the known keys in address order, listed, with score, since and until', async () => {
    const one = await get(`/v1/admin/console/listings?q=${first}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(expect.objectContaining({ query: first, keys_in_range: 1, known: 1, listed: 1 }));
    const [state] = one.json().items;
    expect(state).toEqual(expect.objectContaining({ ip_key: first, known: true, listed: true, reporters: 4, asns: 4, reason: expect.any(String) }));
    expect(Date.parse(state.listed_until)).toBeGreaterThan(Date.now());
    expect(Date.parse(state.listed_at)).toBeLessThanOrEqual(Date.now());

    const range = await get(`/v1/admin/console/listings?q=${encodeURIComponent(`${net}.0/24`)}&page_size=2`, support);
    expect(range.statusCode).toBe(200);
    const page = range.json();
    expect(page).toEqual(expect.objectContaining({ query: `${net}.0/24`, keys_in_range: 256, known: 3, listed: 2, page: 1, page_size: 2 }));
    expect(page.items.map((i: { ip_key: string; listed: boolean }) => [i.ip_key, i.listed])).toEqual([[first, true], [second, true]]);
    const next = (await get(`/v1/admin/console/listings?q=${encodeURIComponent(`${net}.0/24`)}&page_size=2&page=2`)).json();
    expect(next.items.map((i: { ip_key: string; listed: boolean }) => [i.ip_key, i.listed])).toEqual([[`${net}.99`, false]]);

    // the widest ranges taken: a /16 (65,536 keys) and an IPv6 /48 (65,536 /64 keys)
    const wide = (await get(`/v1/admin/console/listings?q=${encodeURIComponent(`${net.replace(/\.\d+$/, '')}.0.0/16`)}&page_size=200`)).json();
    expect(wide).toEqual(expect.objectContaining({ keys_in_range: 65_536, listed: 2 }));
    expect(wide.items.map((i: { ip_key: string }) => i.ip_key)).toEqual(expect.arrayContaining([first, second, `${net}.99`]));
    const v6 = await get(`/v1/admin/console/listings?q=${encodeURIComponent('2a01:4f8:1::/48')}`);
    expect(v6.statusCode).toBe(200);
    expect(v6.json()).toEqual(expect.objectContaining({ keys_in_range: 65_536, known: 0, items: [] }));

    // an unknown address is answered, not known
    const unknown = (await get(`/v1/admin/console/listings?q=${net}.200`)).json();
    expect(unknown.items).toEqual([expect.objectContaining({ ip_key: `${net}.200`, known: false, listed: false, score: null })]);
  });

  it('refuses unbounded or malformed searches with 400 {code, message, requestId}', async () => {
    for (const q of ['10.0.0.0/15', '2001:db8::/47', 'example.org', '1.2.3.4/33']) {
      const res = await get(`/v1/admin/console/listings?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
    }
    expect((await get('/v1/admin/console/listings')).statusCode).toBe(400);
    expect((await get(`/v1/admin/console/listings?q=${first}&page_size=500`)).statusCode).toBe(400);
    expect((await get(`/v1/admin/console/listings?q=${'1'.repeat(65)}`)).statusCode).toBe(400);
    expect((await get('/v1/admin/console/listings/not-an-ip')).statusCode).toBe(400);
    expect((await get('/v1/admin/console/blocklist-versions?limit=0')).statusCode).toBe(400);
  });

  it('explains one IP: voters as pseudonyms with their evidence per scenario, the explanation, the timeline', async () => {
    const res = await get(`/v1/admin/console/listings/${first}`, support);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail.state).toEqual(expect.objectContaining({ listed: true, reporters: 4 }));
    expect(detail.voters.map((v: { reporter: string }) => v.reporter).sort()).toEqual([...pseudonyms].sort());
    for (const v of detail.voters) {
      expect(v).toEqual(expect.objectContaining({ in_listing: true, trust_band: expect.any(String) }));
      expect(v.scenarios).toEqual([expect.objectContaining({ scenario: 'crowdsecurity/ssh-bf', signals: 1 })]);
    }
    // no organisation or agent identifier anywhere in the answer
    for (const agent of voters) expect(res.body).not.toContain(agent.id);
    for (const agent of voters) expect(res.body).not.toContain(agent.organizationId);
    expect(detail.explanations[0]).toEqual(expect.objectContaining({ asns: 4, voters: expect.arrayContaining(pseudonyms) }));
    expect(detail.timeline).toEqual([expect.objectContaining({ event: 'listed', version: expect.any(Number), at: expect.any(String), scenario_class: expect.any(String) })]);
    expect(detail.history_since).toEqual(expect.any(String));
  });

  it('pages the blocklist versions, newest first, with added and removed counts', async () => {
    const all = (await get('/v1/admin/console/blocklist-versions?limit=200')).json();
    expect(all.versions.length).toBeGreaterThanOrEqual(1);
    const ids = all.versions.map((v: { id: number }) => v.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const listedIn = (await get(`/v1/admin/console/listings/${first}`)).json().timeline[0].version;
    expect(all.versions.find((v: { id: number }) => v.id === listedIn)).toEqual(expect.objectContaining({ added: expect.any(Number), removed: expect.any(Number), total: expect.any(Number) }));
    expect(all.versions.find((v: { id: number }) => v.id === listedIn).added).toBeGreaterThanOrEqual(2);
    const firstPage = (await get('/v1/admin/console/blocklist-versions?limit=1')).json();
    expect(firstPage.versions).toHaveLength(1);
    expect(firstPage.versions[0].id).toBe(ids[0]);
    if (ids.length > 1) {
      expect(firstPage.next_before).toBe(ids[0]);
      expect((await get(`/v1/admin/console/blocklist-versions?limit=1&before=${firstPage.next_before}`)).json().versions[0].id).toBe(ids[1]);
    } else expect(firstPage.next_before).toBeNull();
  });

  it('keeps listings to staff admin and support', async () => {
    expect((await get(`/v1/admin/console/listings?q=${first}`, billing)).statusCode).toBe(403);
    expect((await get(`/v1/admin/console/listings/${first}`, null)).statusCode).toBe(401);
    expect((await get('/v1/admin/console/blocklist-versions', billing)).statusCode).toBe(403);
  });

  it('releases a quarantined agent (admin only, with a reason): pending in the agents list, then released by the next run', async () => {
    await t.app.get(NeverListService).addCanary(`${net.replace(/\.\d+$/, '')}.251.0/24`, 'listings test canary');
    await push(outlier, [`${net.replace(/\.\d+$/, '')}.251.3`]);
    expect((await scoringRun(t)).outcome).toBe('done');
    const agentRow = async () => ((await get(`/v1/admin/console/agents?q=listings-agent-4`)).json().agents as Array<Record<string, unknown>>).find((a) => a.id === outlier.id)!;
    expect(await agentRow()).toEqual(expect.objectContaining({ trust_band: 'quarantined', release: null }));

    const url = `/v1/admin/agents/${outlier.id}/quarantine-release`;
    const reason = 'the canary range was announced by mistake';
    expect((await t.app.inject({ method: 'POST', url, headers: support.headers, payload: { reason } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/agents/not-a-uuid/quarantine-release', headers: admin.headers, payload: { reason } })).statusCode).toBe(400);
    const long = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason: 'x'.repeat(1001) } });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual(expect.objectContaining({ code: expect.any(String), requestId: expect.any(String) }));
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/agents/${voters[0].id}/quarantine-release`, headers: admin.headers, payload: { reason } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason } })).statusCode).toBe(202);
    expect((await agentRow()).release).toEqual(expect.objectContaining({ status: 'pending', reason, requested_by: expect.stringMatching(/^operator:/), applied_at: null }));

    expect((await scoringRun(t)).outcome).toBe('done');
    const after = await agentRow();
    expect(after.release).toEqual(expect.objectContaining({ status: 'released', applied_at: expect.any(String) }));
    expect(after.trust_band).not.toBe('quarantined');
    expect(after.quarantined_at).toBeNull();

    const organizations = (await get('/v1/admin/console/agents?q=listings-org')).json().organizations as Array<Record<string, unknown>>;
    expect(organizations).toHaveLength(5);
    expect(organizations.find((o) => o.organization_id === outlier.organizationId)).toEqual(expect.objectContaining({ agents: 1, active: 1, quarantined: 0, reporting_24h: expect.any(Number) }));
  });
});
