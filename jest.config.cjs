// Three tiers: unit (pure and mocked), integration (real PostgreSQL + Redis), e2e (real HTTP stack).
const esmOnly = [
  '@nestjs', 'file-type', 'token-types', 'strtok3', '@tokenizer', 'uint8array-extras', '@borewit',
  'load-esm', 'cookie', 'content-disposition', '@prisma', 'pino-http', 'ipaddr.js', '@ip-location-db',
].join('|');

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)s$': '<rootDir>/test/setup/swc-transformer.cjs' },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts', '<rootDir>/agent-client/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      testEnvironment: '<rootDir>/test/setup/quorum-environment.cjs',
      globalSetup: '<rootDir>/test/setup/global-setup.cjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.cjs',
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeouts.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testEnvironment: '<rootDir>/test/setup/quorum-environment.cjs',
      globalSetup: '<rootDir>/test/setup/global-setup.cjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.cjs',
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeouts.ts'],
    },
    {
      // The ingestion, lookup-limit and worker suites again, on a real 3-master Redis Cluster
      // (test/setup/cluster-global-setup.ts; docs/scaling.md "Redis Cluster").
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/e2e/signals.e2e-spec.ts', '<rootDir>/test/e2e/lookup-limits.e2e-spec.ts', '<rootDir>/test/integration/worker.int-spec.ts'],
      testEnvironment: '<rootDir>/test/setup/quorum-environment.cjs',
      testEnvironmentOptions: { redisCluster: true },
      globalSetup: '<rootDir>/test/setup/cluster-global-setup.cjs',
      globalTeardown: '<rootDir>/test/setup/cluster-global-teardown.cjs',
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeouts.ts'],
    },
  ],
};
