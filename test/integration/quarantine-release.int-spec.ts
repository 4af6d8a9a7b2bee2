import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { ConsensusService } from '../../src/consensus/consensus.service.js';
import type { ConsensusRuntime } from '../../src/consensus/consensus-runtime.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { ConsensusSnapshots, type RestoredSnapshot } from '../../src/consensus/snapshot/consensus-snapshot.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { auditEntries } from '../support/audit-entries.js';
import { createOperator } from '../support/principals.js';
import { scoringRun } from '../support/scoring.js';

/**
 * An operator's release from quarantine reaches the scoring engine of another worker (another process
 * in production: another application here, with its own engine), and survives a restore from a
 * snapshot taken before it (docs/operators.md, "Community").
 */
describe('quarantine release: from the admin route to the engine of the worker that scores', () => {
  const overrides = {
    QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
    // the first run of a worker writes a snapshot, later ones only on demand
    QUORUM_CONSENSUS_SNAPSHOT_MINUTES: '600',
    ...scoringTestOverrides(),
  };
  const apps: TestApp[] = [];
  let api: TestApp;
  let agent: TestAgent;
  let reporter: string;

  const runtimeOf = (t: TestApp): ConsensusRuntime => {
    const runtime = t.app.get(ConsensusService)['runtime'] as ConsensusRuntime | null;
    if (!runtime) throw new Error('no runtime');
    return runtime;
  };

  async function app(): Promise<TestApp> {
    const t = await createTestApp(overrides);
    apps.push(t);
    return t;
  }

  async function push(ips: string[]): Promise<void> {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await api.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    expect(`${res.statusCode} ${res.body}`).toMatch(/^200 /);
  }

  /** A new worker's first run, and the snapshot its rebuild restored (null: full replay). */
  async function workerRun(): Promise<{ t: TestApp; restored: RestoredSnapshot | null }> {
    const t = await app();
    const spy = jest.spyOn(t.app.get(ConsensusSnapshots), 'restoreNewest');
    expect((await scoringRun(t)).outcome).toBe('done');
    const restored = spy.mock.results.length > 0 ? await (spy.mock.results[0].value as Promise<RestoredSnapshot | null>) : null;
    spy.mockRestore();
    await t.app.get(ConsensusSnapshots).idle();
    return { t, restored };
  }

  beforeAll(async () => {
    api = await app();
    await sql(api.config.database.url, 'DELETE FROM consensus_snapshot');
    const { enrollKey } = await createOrganization(api.app, 'release-org');
    agent = await enrollAgent(api.app, enrollKey, 'release-agent');
    reporter = (await api.app.get(ReporterIdentityService).identify(agent.organizationId, agent.id)).reporter;
    // An aged, trusted member: its weight is not held back by the age gate once released.
    await push([attackerIp()]);
    const aged = await sql(api.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, updated_at = now() WHERE pseudonym = $1 RETURNING 1', [
      reporter,
      new Date(Date.now() - 200 * 86_400_000),
    ]);
    expect(aged).toHaveLength(1);
  }, 120_000);
  afterAll(async () => {
    for (const t of apps.reverse()) await t.close();
  });

  it('a quarantined agent released by an admin votes again in the worker, and stays released after a restore', async () => {
    // 1. A report of a dark canary quarantines the reporter; the run writes a snapshot holding it.
    await api.app.get(NeverListService).addCanary('45.33.44.0/24', 'release test canary');
    await push([attackerIp(), '45.33.44.9']);
    expect((await scoringRun(api)).outcome).toBe('done');
    await api.app.get(ConsensusSnapshots).idle();
    expect(runtimeOf(api).engine.isQuarantined(reporter)).toBe(true);
    expect(runtimeOf(api).engine.reporter(reporter, Date.now())!.weight).toBe(0);
    const [before] = await sql<{ generation: string }>(api.config.database.url, 'SELECT generation FROM consensus_snapshot WHERE complete ORDER BY id DESC LIMIT 1');
    expect(before).toBeDefined();

    // 2. The release, from the admin route: recorded and audited, pending until a scoring run.
    const admin = await createOperator(api.app, 'admin', null);
    const support = await createOperator(api.app, 'support', null);
    const url = `/v1/admin/agents/${agent.id}/quarantine-release`;
    const reason = 'canary range was mislabelled by us';
    expect((await api.app.inject({ method: 'POST', url, headers: support.headers, payload: { reason } })).statusCode).toBe(403);
    const tooShort = await api.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason: 'short' } });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json()).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
    const res = await api.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(expect.objectContaining({ agent_id: agent.id, status: 'pending', reason }));
    expect(await auditEntries(api.app, { action: 'agent.quarantine_release_requested', target: `agent:${agent.id}` })).toHaveLength(1);
    const [pending] = await sql(api.config.database.url, 'SELECT quarantined_at, release_applied_at FROM reporter WHERE pseudonym = $1', [reporter]);
    expect(pending.quarantined_at).toBeInstanceOf(Date);
    expect(pending.release_applied_at).toBeNull();

    // 3. Another worker scores: it restores the snapshot (quarantined), then applies the release.
    const worker = await workerRun();
    expect(worker.restored?.cursor.generation).toBe(BigInt(before.generation));
    expect(runtimeOf(worker.t).engine.isQuarantined(reporter)).toBe(false);
    expect(runtimeOf(worker.t).engine.reporter(reporter, Date.now())!.weight).toBeGreaterThan(0);
    const [applied] = await sql(api.config.database.url, 'SELECT quarantined_at, release_applied_at, release_outcome FROM reporter WHERE pseudonym = $1', [reporter]);
    expect(applied).toEqual(expect.objectContaining({ quarantined_at: null, release_outcome: 'released' }));
    expect(applied.release_applied_at).toBeInstanceOf(Date);
    // Nothing left to release: a second request is refused.
    expect((await api.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason } })).statusCode).toBe(409);

    // 4. A third worker restores the snapshot taken BEFORE the release (newer ones removed): the release is applied again.
    await sql(api.config.database.url, 'DELETE FROM consensus_snapshot WHERE generation > $1', [before.generation]);
    const restoredWorker = await workerRun();
    expect(restoredWorker.restored?.cursor.generation).toBe(BigInt(before.generation));
    expect(runtimeOf(restoredWorker.t).engine.isQuarantined(reporter)).toBe(false);

    // 5. The first worker's engine is stale (another worker ran): its next run rebuilds it, released.
    expect((await scoringRun(api)).outcome).toBe('done');
    expect(runtimeOf(api).engine.isQuarantined(reporter)).toBe(false);
  });
});
