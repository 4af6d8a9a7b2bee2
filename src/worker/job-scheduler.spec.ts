import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { loadConfig } from '../config/app-config.js';
import type { QueueService } from '../infra/queue/queue.service.js';
import { type JobName, jobSchedules } from '../infra/queue/queue.constants.js';
import { JobScheduler, schedulerId } from './job-scheduler.js';

/** BullMQ's scheduler calls, on an in-memory map that can be emptied like a flushed Redis. */
class FakeQueues {
  readonly schedulers = new Map<string, { every: number }>();
  upserts: string[] = [];
  down = false;

  queue(): Queue {
    const fake = {
      getJobScheduler: async (id: string) => {
        if (this.down) throw new Error('Connection is closed.');
        const s = this.schedulers.get(id);
        return s ? { key: id, name: id, every: s.every } : undefined;
      },
      upsertJobScheduler: async (id: string, repeat: { every: number }) => {
        if (this.down) throw new Error('Connection is closed.');
        this.schedulers.set(id, { every: repeat.every });
        this.upserts.push(id);
      },
    };
    return fake as unknown as Queue;
  }
}

describe('JobScheduler', () => {
  const config = loadConfig({ NODE_ENV: 'test', QUORUM_SCORING_TICK_MS: '4000' });
  const declared = Object.entries(jobSchedules(config)) as Array<[JobName, { every: number }]>;
  let queues: FakeQueues;
  let scheduler: JobScheduler;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    queues = new FakeQueues();
    scheduler = new JobScheduler(queues as unknown as QueueService, config);
  });
  afterEach(() => scheduler.onApplicationShutdown());

  it('checks once per scoring tick', () => {
    expect(scheduler.checkEveryMs).toBe(4000);
  });

  it('creates every declared scheduler, then leaves existing ones alone', async () => {
    expect((await scheduler.ensureScheduled()).restored.sort()).toEqual(declared.map(([name]) => name).sort());
    queues.upserts = [];
    expect(await scheduler.ensureScheduled()).toEqual({ restored: [], failed: [] });
    expect(queues.upserts).toEqual([]);
  });

  it('re-creates what Redis lost, and a scheduler whose interval changed', async () => {
    await scheduler.ensureScheduled();
    const [[lost], [changed, { every }]] = declared;
    queues.schedulers.delete(schedulerId(lost));
    queues.schedulers.set(schedulerId(changed), { every: every + 1 });
    expect((await scheduler.ensureScheduled()).restored.sort()).toEqual([lost, changed].sort());
    expect(queues.schedulers.get(schedulerId(changed))).toEqual({ every });
  });

  it('reports what it could not check while Redis is down, and catches up on the next check', async () => {
    queues.down = true;
    expect((await scheduler.ensureScheduled()).failed).toHaveLength(declared.length);
    queues.down = false;
    expect((await scheduler.ensureScheduled()).restored).toHaveLength(declared.length);
  });

  it('runs one check at a time (overlapping ticks share it)', async () => {
    const [a, b] = [scheduler.ensureScheduled(), scheduler.ensureScheduled()];
    expect(a).toBe(b);
    await a;
  });
});
