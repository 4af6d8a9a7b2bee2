import type pg from 'pg';
import type { RedisClusterHandle } from '../support/redis-cluster.js';

/** What the global setup hands to the global teardown (both run in Jest's parent process). */
interface RunState {
  lock?: pg.Client;
  watchdog?: NodeJS.Timeout;
  /** the cluster tier's Redis Cluster (test/setup/cluster-global-setup.ts) */
  cluster?: RedisClusterHandle;
}

export function runState(): RunState {
  const holder = globalThis as unknown as { __quorumTestRun?: RunState };
  holder.__quorumTestRun ??= {};
  return holder.__quorumTestRun;
}
