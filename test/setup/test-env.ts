/** The environment every integration and e2e test runs with: its own database and Redis db index. */
export const TEST_DATABASE_NAME = 'quorum_test';

export function testEnv(): Record<string, string> {
  const base = process.env.QUORUM_TEST_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${TEST_DATABASE_NAME}`;
  return {
    NODE_ENV: 'test',
    DATABASE_URL: base,
    REDIS_URL: process.env.QUORUM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15',
    REDIS_PREFIX: 'quorum-test',
    QUORUM_LOG_LEVEL: process.env.QUORUM_TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    // Test files enroll from synthetic source addresses that may share a /24 across files; tests of the
    // per-network cap set it back explicitly.
    QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '100000',
    HOST: '127.0.0.1',
    // the cluster tier (jest.config.cjs "cluster"): the same suites on a Redis Cluster
    ...(process.env.QUORUM_TEST_REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: process.env.QUORUM_TEST_REDIS_CLUSTER_NODES } : {}),
  };
}

/**
 * Scoring tests get a database and Redis prefix of their own: a worker left running by another test
 * file must not take their scoring lock or consume their queue.
 */
export function scoringTestOverrides(base = testEnv().DATABASE_URL): Record<string, string> {
  const url = new URL(base);
  url.pathname = `${url.pathname}_scoring`;
  return { DATABASE_URL: url.toString(), REDIS_PREFIX: 'quorum-test-scoring' };
}
