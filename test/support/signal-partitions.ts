import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { partitionFor } from '../../src/signals/signal-partitions.js';
import { SignalPartitionsRepository } from '../../src/signals/signal-partitions.repository.js';
import type { TestApp } from '../setup/test-app.js';

const DAY = 86_400_000;

/** Creates the signal day partitions of the days `daysAgo` before `now`, so tests can seed signals received in the past. */
export async function ensureDayPartitions(t: TestApp, daysAgo: readonly number[], now = Date.now()): Promise<void> {
  await t.app.select(PrivacyModule).get(SignalPartitionsRepository).ensure(daysAgo.map((d) => partitionFor(Math.floor((now - d * DAY) / DAY) * DAY)));
}
