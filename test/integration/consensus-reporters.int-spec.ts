import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { scoringRun } from '../support/scoring.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { auditEntries } from '../support/audit-entries.js';

const DAY = 86_400_000;

/** Issue 14 item 7: configured priors reach new reporters' rows; late reporters score with their network at once. */
describe('consensus reporters: configured priors and registration between rebuilds', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
      QUORUM_CONSENSUS_PARAMS: JSON.stringify({ priorAlpha: 2, priorBeta: 5 }),
      ...scoringTestOverrides(),
    });
  }, 120_000);
  afterAll(async () => t.close());

  async function push(agent: TestAgent, ips: string[]): Promise<void> {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(res.statusCode).toBe(200);
  }

  async function pseudonymOf(agent: TestAgent): Promise<string> {
    return (await t.app.get(ReporterIdentityService).identify(agent.organizationId, agent.id)).reporter;
  }

  it('writes the configured priorAlpha / priorBeta into a new reporter row', async () => {
    const { enrollKey } = await createOrganization(t.app, 'priors-org');
    const agent = await enrollAgent(t.app, enrollKey, 'priors-agent');
    await push(agent, [attackerIp()]);
    const rows = await sql(t.config.database.url, 'SELECT alpha, beta FROM reporter WHERE pseudonym = $1', [await pseudonymOf(agent)]);
    expect(rows[0]).toEqual({ alpha: 2, beta: 5 });
  });

  it('a reporter registered after the engine was built scores with its own network at the next run', async () => {
    // Build the worker's engine first, so the reporters below arrive after the last rebuild.
    expect((await scoringRun(t)).outcome).toBe('done');
    const target = attackerIp();
    const late: TestAgent[] = [];
    for (let i = 0; i < 4; i++) {
      const { enrollKey } = await createOrganization(t.app, `late-org-${i}`);
      late.push(await enrollAgent(t.app, enrollKey, `late-agent-${i}`));
    }
    for (const agent of late) await push(agent, [target]);
    // What the registration would carry for aged, established members in four networks.
    for (let i = 0; i < late.length; i++) {
      await sql(
        t.config.database.url,
        `UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4, updated_at = now() WHERE pseudonym = $1`,
        [await pseudonymOf(late[i]), new Date(Date.now() - 200 * DAY), 64_700 + i, `late-net-${i}`],
      );
    }
    const report = await scoringRun(t);
    expect(report.outcome).toBe('done');
    const rows = await sql(t.config.database.url, 'SELECT listed, asns FROM ip_score WHERE ip_key = $1', [target]);
    expect(rows[0]).toEqual(expect.objectContaining({ listed: true, asns: 4 }));
  });

  it('a new deployment: explain says what is missing, and vouching for the fleet (audited) lists from the next run', async () => {
    // Four fresh agents of three organisations, all behind the same network.
    const orgs: string[] = [];
    const fleet: TestAgent[] = [];
    for (let i = 0; i < 3; i++) {
      const { organizationId, enrollKey } = await createOrganization(t.app, `fleet-org-${i}`);
      orgs.push(organizationId);
      fleet.push(await enrollAgent(t.app, enrollKey, `fleet-agent-${i}`));
      if (i === 0) fleet.push(await enrollAgent(t.app, enrollKey, 'fleet-agent-0b'));
    }
    const target = attackerIp();
    for (const agent of fleet) await push(agent, [target]);
    expect((await scoringRun(t)).outcome).toBe('done');
    const before = await t.app.inject({ method: 'GET', url: `/v1/ip/${target}/explain` });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual(expect.objectContaining({ listed: false, reason: null }));
    expect(before.json().missing).toEqual([
      'needs 3 more independent established owners in other networks',
      '3 reporting owners are still in the 14-day probation period (their reports do not count yet)',
    ]);
    expect(before.json().voters).toBeUndefined();

    const organizations = t.app.get(OrganizationsService);
    for (const id of orgs) await organizations.setKind(id, 'internal', 'test-operator', 'our own fleet');
    const audit = await auditEntries(t.app, { action: 'organization.kind' });
    expect(audit.map((a) => a.target)).toEqual(orgs.map((id) => `organization:${id}`));
    expect(audit[0].details).toEqual({ from: 'customer', to: 'internal', reason: 'our own fleet' });
    expect((await scoringRun(t)).outcome).toBe('done');
    const after = await t.app.inject({ method: 'GET', url: `/v1/ip/${target}/explain` });
    expect(after.json()).toEqual(expect.objectContaining({ listed: true, reason: 'consensus', missing: null }));
  });
});
