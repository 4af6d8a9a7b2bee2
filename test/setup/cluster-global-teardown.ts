import globalTeardown from './global-teardown.js';
import { runState } from './run-state.js';

/** Stops the cluster tier's Redis Cluster, then the run's own teardown. */
export default async function clusterGlobalTeardown(): Promise<void> {
  const state = runState();
  const cluster = state.cluster;
  state.cluster = undefined;
  await cluster?.stop();
  await globalTeardown();
}
