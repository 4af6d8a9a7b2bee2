import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { scoringRun } from '../support/scoring.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const DAY = 86_400_000;

/**
 * F12: fresh agents of one organisation must not make an IP "known" in paid lookups, nor put the
 * scenario names they chose into answers. Only reporters past the consensus trust gates count.
 */
describe('lookup evidence: only reporters past the trust gates are shown', () => {
  let t: TestApp;
  let apiKey: string;
  const fresh: TestAgent[] = [];
  const established: TestAgent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', QUORUM_LOOKUP_POLL_MS: '200', ...scoringTestOverrides() });
    const attackers = await createOrganization(t.app, 'fresh-agents-org');
    for (let i = 0; i < 3; i++) fresh.push(await enrollAgent(t.app, attackers.enrollKey, `fresh-${i}`));
    for (let i = 0; i < 4; i++) {
      const { enrollKey } = await createOrganization(t.app, `established-${i}`);
      established.push(await enrollAgent(t.app, enrollKey, `established-${i}`));
    }
    // The scoring engine reads reporter profiles when it first meets them: age them before any run.
    for (const agent of established) await push(agent, [signal()]);
    await establish(established, 64_700);
    const customer = await t.app.get(OrganizationsService).create('paying-customer');
    await t.app.get(LookupPlansService).setOrganizationPlan(customer.id, 'enterprise');
    apiKey = (await t.app.get(ApiKeysService).create(customer.id, 'lookup key', ['lookup'], 'test')).key;
    await waitFor('the lookup index to load', 60_000, () => t.app.get(LookupIndexService).ready);
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => t?.close(), APP_BOOT_TIMEOUT_MS);

  async function push(agent: TestAgent, items: Array<Record<string, unknown>>) {
    const req = signBatch(agent, { signals: items });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(res.statusCode).toBe(200);
  }

  /** Aged, trusted reporters in their own ASNs (as months of confirmed reports would make them). */
  async function establish(list: TestAgent[], asnBase: number) {
    const identities = t.app.get(ReporterIdentityService);
    for (let i = 0; i < list.length; i++) {
      const { reporter } = await identities.identify(list[i].organizationId, list[i].id);
      await sql(t.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        asnBase + i,
        `evidence-net-${asnBase + i}`,
      ]);
    }
  }

  /** 50 scenario names of the attackers' choosing, spread over their agents. */
  const chosenNames = Array.from({ length: 50 }, (_, i) => `mallory/looks-bad-${String(i).padStart(2, '0')}`);
  async function floodWithChosenNames(ip: string) {
    for (let a = 0; a < fresh.length; a++) {
      await push(fresh[a], chosenNames.filter((_, i) => i % fresh.length === a).map((scenario) => signal({ ip, scenario })));
    }
  }

  async function scoreAndIndex() {
    expect((await scoringRun(t, 60_000)).outcome).toBe('done');
    const index = t.app.get(LookupIndexService);
    await index.catchUp();
    const { max } = (await sql<{ max: string }>(t.config.database.url, 'SELECT coalesce(max(version), 0)::text AS max FROM ip_score'))[0];
    await waitFor('the lookup index to reach the scoring run', 30_000, async () => {
      await index.catchUp();
      return index.current.version >= Number(max);
    });
  }

  const lookup = (ip: string) => t.app.inject({ method: 'GET', url: `/v1/ip/${ip}`, headers: { 'x-api-key': apiKey } });

  it('answers "not enough trusted evidence" for an IP only fresh agents reported, with none of their names', async () => {
    const target = attackerIp();
    await floodWithChosenNames(target);
    await scoreAndIndex();

    const res = await lookup(target);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(
      expect.objectContaining({
        ip: target,
        reputation: 'unknown',
        evidence: 'not_enough_trusted_evidence',
        score: 0,
        confidence: 'none',
        listed: false,
        reporters: null,
        scenarios: [],
        firstSeen: null,
        lastSeen: null,
      }),
    );
    const bulk = await t.app.inject({ method: 'POST', url: '/v1/ip/bulk', headers: { 'x-api-key': apiKey }, payload: { ips: [target] } });
    expect(bulk.json().results[0]).toEqual(expect.objectContaining({ reputation: 'unknown', evidence: 'not_enough_trusted_evidence', scenarios: [] }));
    const explained = await t.app.inject({ method: 'GET', url: `/v1/ip/${target}/explain` });
    expect(explained.json()).toEqual(expect.objectContaining({ reporters: '0', scenario_classes: [] }));
  }, 120_000);

  it('shows the names and the count of trusted reporters only when both kinds reported the IP', async () => {
    const target = attackerIp();
    for (const agent of established) await push(agent, [signal({ ip: target, scenario: 'crowdsecurity/ssh-bf' })]);
    await floodWithChosenNames(target);
    await scoreAndIndex();

    const body = (await lookup(target)).json();
    expect(body.evidence).toBe('trusted');
    expect(['known', 'suspicious', 'malicious']).toContain(body.reputation);
    expect(body.scenarios).toEqual(['crowdsecurity/ssh-bf']);
    // 4 trusted owners; the 3 fresh agents (one owner) are not counted.
    expect(body.reporters).toBe('3-5');
  }, 120_000);

  it('answers "none" for an IP nobody reported', async () => {
    const body = (await lookup(attackerIp())).json();
    expect(body).toEqual(expect.objectContaining({ reputation: 'unknown', evidence: 'none', scenarios: [] }));
  });
});
