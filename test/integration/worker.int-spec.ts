import type { INestApplicationContext } from '@nestjs/common';
import { startTestWorker } from '../support/test-worker.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { partitionsAround } from '../../src/signals/signal-partitions.js';
import { sql } from '../setup/db.js';
import { testConfig } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

describe('worker process', () => {
  let worker: INestApplicationContext | undefined;
  afterAll(async () => worker?.close());

  it('boots with every job handled and runs the scheduled partition job', async () => {
    const config = testConfig();
    const furthest = partitionsAround(new Date(), 1, 7).at(-1)!;
    await sql(config.database.url, `DROP TABLE IF EXISTS "${furthest.name}"`);
    worker = await startTestWorker(config, createRootLogger('silent'));
    await waitFor(`partition ${furthest.name} created by the worker`, 60_000, async () => (await sql(config.database.url, 'SELECT 1 FROM pg_class WHERE relname = $1', [furthest.name])).length === 1, 200);
  }, APP_BOOT_TIMEOUT_MS + 60_000);
});
