import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { loadConfig } from '../../src/config/app-config.js';
import { ProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { ipSubject } from '../../src/privacy/subject-hash.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { ensureDayPartitions } from '../support/signal-partitions.js';
import { scoringTestOverrides, testEnv } from '../setup/test-env.js';
import { scoringRun } from '../support/scoring.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CAP = 96 * HOUR;
jest.setTimeout(120_000);

/** Every `until` in a JSON document, wherever it sits. */
function untils(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) untils(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'until' && typeof v === 'string') out.push(v);
      else untils(v, out);
    }
  }
  return out;
}

describe('GDPR R3 (decision lifetime ≤ 96 h) and R9 (protection marker honoured by consensus)', () => {
  it('the configuration refuses a decision lifetime above 96 h and accepts 96 h', () => {
    const env = testEnv();
    expect(() => loadConfig({ ...env, QUORUM_CONSENSUS_PARAMS: JSON.stringify({ ttlConfirmedMs: 10 * DAY }) })).toThrow(/ttlConfirmedMs must be at most 96 h/);
    expect(() => loadConfig({ ...env, QUORUM_CONSENSUS_PARAMS: JSON.stringify({ ttlUnconfirmedMs: CAP + 1 }) })).toThrow(/ttlUnconfirmedMs must be at most 96 h/);
    expect(loadConfig({ ...env, QUORUM_CONSENSUS_PARAMS: JSON.stringify({ ttlConfirmedMs: CAP, ttlUnconfirmedMs: CAP }) }).consensus.params).toEqual({ ttlConfirmedMs: CAP, ttlUnconfirmedMs: CAP });
  });

  describe('through the scoring job', () => {
    let t: TestApp;
    let db: string;
    const agents: TestAgent[] = [];
    let source = 0;

    beforeAll(async () => {
      // The longest lifetimes the configuration accepts: published decisions must still end within 96 h.
      t = await createTestApp({
        QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
        QUORUM_CONSENSUS_PARAMS: JSON.stringify({ ttlConfirmedMs: CAP, ttlUnconfirmedMs: CAP }),
        ...scoringTestOverrides(),
      });
      db = t.config.database.url;
      // Only the erasure's proof of control is replaced here (test/e2e/privacy-proof-netns.e2e-spec.ts runs the real one).
      jest.spyOn(t.app.select(PrivacyModule).get(ProofVerifier), 'verify').mockImplementation(async () => true);
      await ensureDayPartitions(t, [12, 10, 1, 0]);
      for (let i = 0; i < 4; i++) {
        const { enrollKey } = await createOrganization(t.app, `decision-org-${i}`);
        agents.push(await enrollAgent(t.app, enrollKey, `decision-agent-${i}`));
      }
      const identities = t.app.get(ReporterIdentityService);
      for (let i = 0; i < agents.length; i++) {
        const { reporter } = await identities.identify(agents[i].organizationId, agents[i].id);
        // Reporter rows appear with the first signal; create them by reporting a throwaway target first.
        await push(agents[i], [attackerIp()]);
        await sql(db, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [reporter, new Date(Date.now() - 200 * DAY), 64_700 + i, `net-cap-${i}`]);
      }
    });
    afterAll(async () => t?.close());

    async function push(agent: TestAgent, ips: string[], at?: { started: Date; stopped: Date }) {
      const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip, ...(at ? { started_at: at.started.toISOString(), stopped_at: at.stopped.toISOString() } : {}) })) });
      const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      expect(res.statusCode).toBe(200);
    }

    it('every published decision has until − now ≤ 96 h (database and feed)', async () => {
      const targets = [attackerIp(), attackerIp(), attackerIp()];
      for (const agent of agents) await push(agent, targets);
      expect((await scoringRun(t)).outcome).toBe('done');
      const rows = await sql<{ ip_key: string; until: Date }>(db, 'SELECT ip_key, until FROM blocklist_entry WHERE removed_in IS NULL AND ip_key = ANY($1)', [targets]);
      expect(rows.map((r) => r.ip_key).sort()).toEqual([...targets].sort());
      const now = Date.now();
      for (const row of rows) expect(row.until.getTime() - now).toBeLessThanOrEqual(CAP);
      // At the cap, not far below it: the test would not notice a cap that never binds otherwise.
      for (const row of rows) expect(row.until.getTime() - now).toBeGreaterThan(CAP - HOUR);

      const feed = await t.app.inject({ method: 'GET', url: '/v1/blocklist?format=json', headers: { authorization: `Bearer ${agents[0].token}` } });
      expect(feed.statusCode).toBe(200);
      const published = untils(feed.json());
      expect(published.length).toBeGreaterThanOrEqual(3);
      const read = Date.now();
      for (const until of published) expect(Date.parse(until) - read).toBeLessThanOrEqual(CAP);
    });

    it('an erased, inactive IP is not relisted from stale evidence while its protection marker lasts', async () => {
      const ip = attackerIp();
      const old = new Date(Date.now() - 10 * DAY);
      await sql(
        db,
        `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
         VALUES ($1, 'r', 'o', 'quorum', $2, $2, 'ip', 'crowdsecurity/ssh-bf', $1, $1, 1)`,
        [old, ip],
      );
      const created = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip, kind: 'erasure' }, remoteAddress: `10.77.${++source}.1` });
      expect(created.statusCode).toBe(201);
      const verified = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${created.json().id}/verify`, payload: { token: created.json().token }, remoteAddress: `10.77.${++source}.1` });
      expect(verified.json()).toEqual(expect.objectContaining({ status: 'completed', kind: 'ip_erasure' }));
      const [marker] = await sql(db, 'SELECT expires_at FROM ip_protection WHERE ip_hash = $1', [ipSubject(t.config.privacy.pseudonymSecret, ip)]);
      expect(marker).toBeDefined();

      // Agents that spooled reports from before the erasure deliver them now: four established owners
      // in four ASNs, enough to list any unprotected address (the control target below).
      const control = attackerIp();
      const started = new Date(Date.now() - 2 * HOUR);
      for (const agent of agents) await push(agent, [ip, control], { started, stopped: new Date(started.getTime() + 60_000) });
      expect((await scoringRun(t)).outcome).toBe('done');
      const listed = await sql<{ ip_key: string }>(db, 'SELECT ip_key FROM blocklist_entry WHERE removed_in IS NULL AND ip_key = ANY($1)', [[ip, control]]);
      expect(listed.map((r) => r.ip_key)).toEqual([control]);
      const [score] = await sql<{ listed: boolean }>(db, 'SELECT listed FROM ip_score WHERE ip_key = $1', [ip]);
      expect(score?.listed ?? false).toBe(false);
    });
  });
});
