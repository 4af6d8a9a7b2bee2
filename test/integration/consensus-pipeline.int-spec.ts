import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { scoringRun } from '../support/scoring.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';

const DAY = 86_400_000;

describe('consensus pipeline: signals → scoring job → ip_score → blocklist version', () => {
  let t: TestApp;
  const agents: TestAgent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', ...scoringTestOverrides() });
    for (let i = 0; i < 5; i++) {
      const { enrollKey } = await createOrganization(t.app, `org-${i}`);
      agents.push(await enrollAgent(t.app, enrollKey, `agent-${i}`));
    }
  });
  afterAll(async () => t.close());

  async function push(agent: TestAgent, ips: string[]) {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(res.statusCode).toBe(200);
  }

  /** Gives each reporter an aged, established trust profile in its own ASN. */
  async function establish(list: TestAgent[], asnBase: number) {
    const identities = t.app.get(ReporterIdentityService);
    for (let i = 0; i < list.length; i++) {
      const { reporter } = await identities.identify(list[i].organizationId, list[i].id);
      await sql(
        t.config.database.url,
        `UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1`,
        [reporter, new Date(Date.now() - 200 * DAY), asnBase + i, `net-${asnBase + i}`],
      );
    }
  }

  it('lists an IP reported by 4 established owners in 4 ASNs (S ≥ 3) and publishes it', async () => {
    const target = attackerIp();
    for (const agent of agents.slice(0, 4)) await push(agent, [target]);
    await establish(agents.slice(0, 4), 64_500);
    const report = await scoringRun(t);
    expect(report.outcome).toBe('done');
    const rows = await sql(t.config.database.url, 'SELECT listed, reporters, asns, reason FROM ip_score WHERE ip_key = $1', [target]);
    expect(rows[0]).toEqual(expect.objectContaining({ listed: true, reporters: 4, asns: 4, reason: 'consensus' }));
    const entries = await sql(t.config.database.url, 'SELECT value FROM blocklist_entry WHERE ip_key = $1 AND removed_in IS NULL', [target]);
    expect(entries).toHaveLength(1);
    const explanation = await sql(t.config.database.url, 'SELECT voters FROM listing_explanation WHERE ip_key = $1', [target]);
    expect((explanation[0].voters as string[]).length).toBe(4);
  });

  it('does not list an IP reported by one owner only, and the public explanation hides voters', async () => {
    const target = attackerIp();
    await push(agents[4], [target]);
    await scoringRun(t);
    const rows = await sql(t.config.database.url, 'SELECT listed FROM ip_score WHERE ip_key = $1', [target]);
    expect(rows[0]?.listed ?? false).toBe(false);
    const res = await t.app.inject({ method: 'GET', url: `/v1/ip/${target}/explain` });
    expect(res.statusCode).toBe(200);
    // One fresh owner is not past the trust gates: it is not counted (docs/security.md, lookup evidence).
    expect(res.json()).toEqual(expect.objectContaining({ listed: false, reporters: '0', scenario_classes: [] }));
    expect(res.json().voters).toBeUndefined();
  });

  it('a second tick with no new signals changes nothing (idempotent)', async () => {
    const before = await sql(t.config.database.url, 'SELECT max(id) AS v FROM blocklist_version');
    const report = await scoringRun(t);
    expect(report.signals).toBe(0);
    const after = await sql(t.config.database.url, 'SELECT max(id) AS v FROM blocklist_version');
    expect(after[0].v).toEqual(before[0].v);
  });
});
