import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { SOURCE_FAILURES } from '../../src/admin/login-throttle.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { startTestWorker } from '../support/test-worker.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { bullRedisRoot } from '../../src/infra/queue/redis-connection.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp, testConfig } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { OPERATOR_PASSWORD } from '../support/principals.js';
import { type RedisClusterHandle, describeWithRedisCluster, startRedisCluster } from '../support/redis-cluster.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const DAY = 86_400_000;
const PREFIX = 'quorum-test-cluster';

/**
 * Quorum on a real 3-master Redis Cluster (Debian's redis-server): two API replicas and a worker, with
 * the API's polling turned off so only pub/sub carries news between them. One representative path per
 * use of Redis (docs/scaling.md "Redis Cluster"): signed ingestion (the ingest ledger's multi-key script
 * in one slot, batch nonces, token bucket), agent login nonces and rate windows, operator login
 * throttling (two windows in two slots), lookup quotas across replicas, cache invalidation and scoring
 * generations over pub/sub, and the worker's BullMQ queues (a hash-tagged prefix) scoring what was
 * ingested and publishing a blocklist version both replicas serve.
 */
describeWithRedisCluster('Quorum on a 3-master Redis Cluster', () => {
  let cluster: RedisClusterHandle | null = null;
  let a: TestApp;
  let b: TestApp;
  let worker: INestApplicationContext | null = null;
  let inspect: Cluster | null = null;
  let overrides: Record<string, string>;
  const agents: TestAgent[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    overrides = {
      ...scoringTestOverrides(),
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      REDIS_PREFIX: PREFIX,
      QUORUM_LOOKUP_POLL_MS: '600000',
      QUORUM_LOOKUP_USAGE_FLUSH_SECONDS: '3600',
      QUORUM_BLOCKLIST_POLL_SECONDS: '3600',
      QUORUM_SCORING_TICK_MS: '3600000',
      QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
    };
    [a, b] = await Promise.all([createTestApp(overrides), createTestApp(overrides)]);
    inspect = new Cluster(cluster.nodes.map((n) => ({ host: n.split(':')[0], port: Number(n.split(':')[1]) })));
    await sql(
      a.config.database.url,
      `INSERT INTO plan (id, name, burst_per_second, daily_quota, monthly_quota, bulk_size, fields, views) VALUES
        ('cluster-quota', 'Cluster quota', 10000, 50, 100000, 10, ARRAY['reporters','scenarios'], ARRAY['ip','bulk']),
        ('cluster-roomy', 'Cluster roomy', 10000, 1000000, 10000000, 10, ARRAY['reporters','scenarios'], ARRAY['ip','bulk'])
       ON CONFLICT (id) DO NOTHING`,
    );
    await Promise.all([a, b].map((t) => t.app.get(LookupPlansService).reload()));
    for (let i = 0; i < 4; i++) {
      const { enrollKey } = await createOrganization(a.app, `cluster-org-${i}`);
      agents.push(await enrollAgent(a.app, enrollKey, `cluster-agent-${i}`));
    }
    await waitFor('both lookup indexes', 60_000, () => a.app.get(LookupIndexService).ready && b.app.get(LookupIndexService).ready);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close().catch(() => undefined);
    await Promise.all([a, b].map((t) => t?.close().catch(() => undefined)));
    inspect?.disconnect();
    await cluster?.stop();
    if (a) {
      await sql(a.config.database.url, "DELETE FROM organization_plan WHERE plan_id IN ('cluster-quota', 'cluster-roomy')");
      await sql(a.config.database.url, "DELETE FROM plan WHERE id IN ('cluster-quota', 'cluster-roomy')");
    }
  }, APP_BOOT_TIMEOUT_MS);

  const push = (agent: TestAgent, body: unknown, opts: { nonce?: string } = {}) => {
    const req = signBatch(agent, body, opts);
    return a.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
  };
  const lookup = (app: NestFastifyApplication, key: string, ip: string) => app.inject({ method: 'GET', url: `/v1/ip/${ip}`, headers: { 'x-api-key': key } });

  it('is ready on the cluster (shared state and queues up)', async () => {
    expect(inspect!.nodes('master')).toHaveLength(3);
    const ready = await a.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json().checks).toEqual(expect.objectContaining({ redis: { status: 'up' }, queues: { status: 'up' } }));
  });

  it('ingests signed batches (one script over the agent\'s keys in one slot): a replayed nonce is refused', async () => {
    const agent = await enrollAgent(a.app, (await createOrganization(a.app, 'cluster-ingest')).enrollKey, 'cluster-ingest');
    const nonce = randomUUID();
    expect((await push(agent, { signals: [signal()] }, { nonce })).statusCode).toBe(200);
    const replay = await push(agent, { signals: [signal()] }, { nonce });
    expect([replay.statusCode, replay.json().code]).toEqual([409, 'replayed_nonce']);
    const { burstBatches, overflowBatches } = a.config.signals;
    const statuses: number[] = [];
    // Back-to-back batches up to burst + overflow go through the same token bucket on the cluster.
    for (let i = 0; i < burstBatches + overflowBatches; i++) statuses.push((await push(agent, { signals: [signal()] })).statusCode);
    expect(statuses).toEqual(Array<number>(burstBatches + overflowBatches).fill(200));
  });

  it('throttles operator logins with two windows in two slots (429 login_throttled from the failing network only)', async () => {
    const email = `cluster-${randomUUID().slice(0, 8)}@example.net`;
    await a.app.get(OperatorAuthService).createOperator(email, 'admin', OPERATOR_PASSWORD);
    const login = (password: string, remoteAddress: string) => a.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password }, remoteAddress });
    for (let i = 1; i <= SOURCE_FAILURES; i++) expect((await login('wrong-password-123', `10.231.1.${i}`)).statusCode).toBe(401);
    const throttled = await login('wrong-password-123', '10.231.1.99');
    expect([throttled.statusCode, throttled.json().code]).toEqual([429, 'login_throttled']);
    // Replica b reads the same windows; another network is not throttled.
    const viaB = await b.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: OPERATOR_PASSWORD }, remoteAddress: '10.231.1.100' });
    expect(viaB.statusCode).toBe(429);
    expect((await login(OPERATOR_PASSWORD, '10.232.1.1')).statusCode).toBe(200);
  });

  it('never lets an organisation pass its daily quota across two replicas, and revokes a key on both at once', async () => {
    const org = (await a.app.get(OrganizationsService).create(`cluster-limits-${randomUUID().slice(0, 6)}`)).id;
    await a.app.get(LookupPlansService).setOrganizationPlan(org, 'cluster-quota');
    const { key } = await a.app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test');
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => lookup(i % 2 === 0 ? a.app : b.app, key, '45.84.14.1')));
    const ok = answers.filter((r) => r.statusCode === 200).length;
    process.stdout.write(`redis cluster: 120 parallel lookups on 2 replicas, daily quota 50: ${ok} answered\n`);
    expect(ok).toBeLessThanOrEqual(50);
    expect(ok).toBeGreaterThanOrEqual(44);
    expect(answers.filter((r) => r.statusCode === 429).every((r) => r.json().code === 'quota_exhausted')).toBe(true);
    const day = Math.floor(Date.now() / DAY);
    expect(Number(await inspect!.get(`${PREFIX}:lookup:quota:${org}:day:${day}`))).toBeLessThanOrEqual(50);

    const roomy = (await a.app.get(ApiKeysService).create(org, 'k2', ['lookup'], 'test')).key;
    await a.app.get(LookupPlansService).setOrganizationPlan(org, 'cluster-roomy');
    await waitFor('the plan change to reach replica b', 5_000, async () => (await lookup(b.app, roomy, '45.84.14.2')).statusCode === 200);
    const [{ id }] = await sql<{ id: string }>(a.config.database.url, "SELECT id FROM api_key WHERE organization_id = $1 AND name = 'k2'", [org]);
    await a.app.get(ApiKeysService).revoke(org, id, 'test');
    await waitFor('the revocation to reach replica b over pub/sub', 5_000, async () => (await lookup(b.app, roomy, '45.84.14.2')).statusCode === 401);
  });

  it('pauses a BullMQ worker during an active job and resumes it (what a graceful shutdown of the scoring leader does)', async () => {
    const root = bullRedisRoot({ ...a.config.redis, prefix: `${PREFIX}-pause` });
    const queue = new Queue('pause-check', root);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const processed: string[] = [];
    const bull = new Worker(
      'pause-check',
      async (job) => {
        processed.push(job.name);
        if (job.name === 'first') await gate;
      },
      { ...root, concurrency: 1 },
    );
    try {
      await queue.add('first', {});
      await waitFor('the first job to start', 15_000, () => processed.length === 1);
      const paused = bull.pause();
      release();
      // Before the fix in src/infra/queue/redis-connection.ts the pause never returned on a cluster.
      await expect(Promise.race([paused.then(() => 'paused'), new Promise((r) => setTimeout(() => r('still pausing after 15 s'), 15_000))])).resolves.toBe('paused');
      await queue.add('second', {});
      bull.resume();
      await waitFor('the second job after resume', 15_000, () => processed.length === 2);
    } finally {
      await bull.close();
      await queue.close();
    }
  });

  it('scores ingested signals in the worker (BullMQ on the cluster) and both replicas serve the listing (pub/sub only)', async () => {
    const target = attackerIp();
    for (const agent of agents) expect((await push(agent, { signals: [signal({ ip: target })] })).statusCode).toBe(200);
    // Four owners established in four ASNs (as in test/integration/consensus-pipeline.int-spec.ts), then
    // the worker starts: the ingestion nudges wait in the cluster's queue, and its first run reads them.
    const identities = a.app.get(ReporterIdentityService);
    for (const [i, agent] of agents.entries()) {
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      await sql(a.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        64_900 + i,
        `net-cluster-${i}`,
      ]);
    }
    worker = await startTestWorker(testConfig(overrides), createRootLogger('silent'));
    await waitFor('the worker to list the address', 60_000, async () => {
      const rows = await sql<{ listed: boolean }>(a.config.database.url, 'SELECT listed FROM ip_score WHERE ip_key = $1', [target]);
      return rows[0]?.listed === true;
    });
    const org = (await a.app.get(OrganizationsService).create(`cluster-reader-${randomUUID().slice(0, 6)}`)).id;
    await a.app.get(LookupPlansService).setOrganizationPlan(org, 'cluster-roomy');
    const { key } = await a.app.get(ApiKeysService).create(org, 'reader', ['lookup', 'blocklist'], 'test');
    // Polling is off: the scoring generation and the blocklist version reach the replicas over pub/sub.
    for (const app of [a.app, b.app]) {
      await waitFor('the listing in the lookup answer', 15_000, async () => (await lookup(app, key, target)).json().listed === true);
      await waitFor('the listing in the blocklist', 15_000, async () => {
        const res = await app.inject({ method: 'GET', url: '/v1/blocklist', headers: { 'x-api-key': key } });
        return res.statusCode === 200 && res.body.includes(`"value":"${target}"`);
      });
    }
    // BullMQ's keys share one hash tag, so they all sit on the master that owns its slot.
    const bullKeys = await Promise.all(inspect!.nodes('master').map((m) => m.keys(`{${PREFIX}-bull}:*`)));
    expect(bullKeys.filter((keys) => keys.length > 0)).toHaveLength(1);
    expect(bullKeys.flat()).toEqual(expect.arrayContaining([`{${PREFIX}-bull}:scoring:meta`]));
  }, 120_000);
});
