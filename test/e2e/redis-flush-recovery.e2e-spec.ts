import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { startTestWorker } from '../support/test-worker.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { Clock } from '../../src/infra/clock/clock.js';
import { QueueService } from '../../src/infra/queue/queue.service.js';
import { JOB_QUEUE, type JobName, jobSchedules } from '../../src/infra/queue/queue.constants.js';
import { SignalNonceSweeper } from '../../src/signals/signal-nonce-sweeper.service.js';
import { partitionsAround } from '../../src/signals/signal-partitions.js';
import { schedulerId } from '../../src/worker/job-scheduler.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp, testConfig } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

// One scoring tick of the worker under test: the scheduler check runs once per tick.
const TICK_MS = 4_000;
// Timers and Redis round trips run late on a busy machine; the check itself is what must come within a tick.
const SCHEDULING_SLACK_MS = 2_000;

/** Redis loses its data (restart without persistence, FLUSHALL) under a running API and worker. */
describe('recovery from Redis data loss', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let redis: Redis;
  let agent: TestAgent;
  const overrides = { QUORUM_SCORING_TICK_MS: String(TICK_MS), QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' };
  const declared = Object.keys(jobSchedules(testConfig(overrides))) as JobName[];

  beforeAll(async () => {
    t = await createTestApp(overrides);
    worker = await startTestWorker(testConfig(overrides), createRootLogger('silent'));
    redis = new Redis(t.config.redis.url, { maxRetriesPerRequest: 2 });
    agent = await enrollAgent(t.app, (await createOrganization(t.app, 'Recovery')).enrollKey);
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => {
    redis?.disconnect();
    await worker?.close();
    await t?.close();
  }, APP_BOOT_TIMEOUT_MS);

  async function missingSchedulers(): Promise<JobName[]> {
    const queues = worker.get(QueueService);
    const missing: JobName[] = [];
    for (const name of declared) {
      if ((await queues.queue(JOB_QUEUE[name]).getJobScheduler(schedulerId(name))) === undefined) missing.push(name);
    }
    return missing;
  }

  const push = (body: { payload: string; headers: Record<string, string> }) =>
    t.app.inject({ method: 'POST', url: '/v1/signals', headers: body.headers, payload: body.payload });
  const storedFor = async (ip: string) => Number((await sql<{ n: string }>(t.config.database.url, 'SELECT count(*) AS n FROM signal WHERE ip = $1', [ip]))[0].n);

  it('re-creates every job scheduler within one tick, refuses a replayed batch, and keeps ingesting', async () => {
    await waitFor('the worker to declare its schedulers', 30_000, async () => (await missingSchedulers()).length === 0);

    // A signed batch without uuids (nothing but the nonce tells a replay apart), then its replay.
    const item = signal({ uuid: undefined });
    const batch = signBatch(agent, { signals: [item] });
    expect((await push(batch)).json()).toMatchObject({ accepted: 1 });
    const before = await push(batch);
    expect(before.statusCode).toBe(409);
    expect(before.json().code).toBe('replayed_nonce');

    // The partition job runs only from its scheduler: drop the furthest partition to see it run again.
    const furthest = partitionsAround(new Date(), 1, 7).at(-1)!;
    await sql(t.config.database.url, `DROP TABLE IF EXISTS "${furthest.name}"`);
    await redis.flushdb();
    const flushedAt = Date.now();

    await waitFor('the schedulers to be re-created', TICK_MS + SCHEDULING_SLACK_MS, async () => (await missingSchedulers()).length === 0);
    expect(Date.now() - flushedAt).toBeLessThanOrEqual(TICK_MS + SCHEDULING_SLACK_MS);
    await waitFor('the re-created partition job to run', 30_000, async () =>
      (await sql(t.config.database.url, 'SELECT 1 FROM pg_class WHERE relname = $1', [furthest.name])).length === 1,
    );

    // Redis has forgotten the nonce; PostgreSQL has not: same refusal as before the loss, nothing stored twice.
    const after = await push(batch);
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ statusCode: 409, code: 'replayed_nonce', message: before.json().message });
    expect(await storedFor(item.ip as string)).toBe(1);

    const fresh = signal({ uuid: undefined });
    const next = await push(signBatch(agent, { signals: [fresh] }));
    expect(next.statusCode).toBe(200);
    expect(await storedFor(fresh.ip as string)).toBe(1);
  });

  it('forgets a nonce once its replay window is over (the sweep job), not before', async () => {
    const batch = signBatch(agent, { signals: [signal({ uuid: undefined })] });
    expect((await push(batch)).statusCode).toBe(200);
    const nonce = batch.headers['x-quorum-nonce'];
    const rows = () => sql<{ expires_at: Date }>(t.config.database.url, 'SELECT expires_at FROM signal_batch_nonce WHERE agent_id = $1 AND nonce = $2', [agent.id, nonce]);
    const [row] = await rows();
    const windowMs = 2 * t.config.signals.maxClockSkewSeconds * 1000;
    expect(row.expires_at.getTime()).toBeGreaterThanOrEqual(Date.now() - 60_000 + windowMs);

    const clock = worker.get(Clock);
    const sweepAt = (at: number) => {
      clock.now = () => new Date(at);
      clock.nowMs = () => at;
      return worker.get(SignalNonceSweeper).sweep();
    };
    await sweepAt(row.expires_at.getTime() - 1);
    expect(await rows()).toHaveLength(1);
    await sweepAt(row.expires_at.getTime());
    expect(await rows()).toHaveLength(0);
  });
});
