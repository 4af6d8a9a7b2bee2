import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import globalSetup from './global-setup.js';
import { recreateDatabase } from './db.js';
import { clusterTierDatabaseUrl } from './cluster-tier.js';
import { runState } from './run-state.js';
import { scoringTestOverrides, testEnv } from './test-env.js';

/**
 * The cluster tier (jest.config.cjs "cluster", docs/scaling.md "Redis Cluster"): the ingestion,
 * lookup-limit and worker suites run a second time against a real 3-master Redis Cluster started here
 * from Debian's redis-server (test/support/redis-cluster.ts), on databases of their own. The test
 * environment (test/setup/quorum-environment.cjs) hands the cluster's nodes and the databases to the
 * files of this tier only.
 */
export default async function clusterGlobalSetup(): Promise<void> {
  await globalSetup();
  const state = runState();
  if (state.cluster) return;
  const url = clusterTierDatabaseUrl(testEnv().DATABASE_URL);
  process.env.QUORUM_CLUSTER_TIER_DATABASE_URL = url;
  const scoring = scoringTestOverrides(url).DATABASE_URL;
  for (const target of [url, scoring]) {
    await recreateDatabase(target);
    await applyMigrations(target);
  }
  state.cluster = await startRedisCluster(3);
  process.env.QUORUM_CLUSTER_TIER_NODES = state.cluster.nodes.join(',');
}
