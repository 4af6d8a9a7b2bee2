import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { nudgeJobOptions } from '../../src/consensus/consensus-ingest.listener.js';
import { JobName } from '../../src/infra/queue/queue.constants.js';
import { testEnv } from '../setup/test-env.js';
import { waitFor } from '../support/waits.js';

/** Nudges on the real BullMQ and Redis: however many arrive, at most one scoring run waits. */
describe('scoring nudges', () => {
  const prefix = `quorum-test-nudge-${randomUUID()}`;
  const connection = new Redis(testEnv().REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('scoring', { connection, prefix });
  const workerConnection = connection.duplicate({ maxRetriesPerRequest: null });
  let worker: Worker | undefined;

  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  });

  const waiting = async () => {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return counts.waiting + counts.delayed + counts.prioritized;
  };

  it('coalesces nudges: one waits while none runs, one more is kept while one runs', async () => {
    // Just before a bucket closes, so each nudge is due within about 60 ms.
    const nowNearBucketEnd = () => Math.ceil(Date.now() / 2_000) * 2_000 - 10;
    for (let i = 0; i < 40; i++) await queue.add(JobName.ScoreTick, {}, nudgeJobOptions(nowNearBucketEnd()));
    expect(await waiting()).toBe(1);

    let started = 0;
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    worker = new Worker(
      'scoring',
      async () => {
        started++;
        if (started === 1) await gate;
        finished++;
      },
      { connection: workerConnection, prefix, concurrency: 1 },
    );
    await waitFor('the first run to start', 30_000, () => started === 1, 25);
    // A long run: nudges keep arriving meanwhile; only the last is kept.
    for (let i = 0; i < 40; i++) await queue.add(JobName.ScoreTick, {}, nudgeJobOptions(nowNearBucketEnd()));
    expect(await waiting()).toBe(0);
    release();
    await waitFor('the kept nudge to run', 30_000, () => finished === 2, 25);
    await waitFor('the queue to drain', 30_000, async () => (await waiting()) === 0 && (await queue.getActiveCount()) === 0, 25);
    // Nothing waits, is delayed or runs: no third run can start, so the count is final.
    expect(started).toBe(2);
  }, 60_000);
});
