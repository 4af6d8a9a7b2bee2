// The Node test environment of the integration and e2e tiers, plus one duty: after a test file's last
// hook, close every app or worker the file booted (test/support/leftovers.ts) and did not close, e.g.
// because its boot finished only after the hook that started it had timed out. Each wait is bounded.
const { setTimeout, clearTimeout } = require('node:timers');
const { TestEnvironment } = require('jest-environment-node');

const BOOT_BOUND_MS = 120_000;
const CLOSE_BOUND_MS = 60_000;

function bounded(promise, ms, what) {
  let timer;
  const limit = new Promise((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${ms} ms ${what}`), ms);
  });
  return Promise.race([promise.then(() => null, (error) => `failed ${what}: ${error && error.message}`), limit]).finally(() => clearTimeout(timer));
}

class QuorumEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    // The cluster tier (jest.config.cjs "cluster"): this file runs on the Redis Cluster and databases
    // that test/setup/cluster-global-setup.ts started; the other tiers never see them.
    if (config.projectConfig.testEnvironmentOptions.redisCluster) {
      const env = this.global.process.env;
      if (!process.env.QUORUM_CLUSTER_TIER_NODES) throw new Error('the cluster tier runs without its global setup');
      env.QUORUM_TEST_REDIS_CLUSTER_NODES = process.env.QUORUM_CLUSTER_TIER_NODES;
      env.QUORUM_TEST_DATABASE_URL = process.env.QUORUM_CLUSTER_TIER_DATABASE_URL;
    }
  }

  async handleTestEvent(event) {
    if (event.name !== 'run_finish') return;
    const tracked = this.global.__quorumTrackedBoots;
    if (!tracked) return;
    for (const entry of tracked) {
      let app;
      const waited = await bounded(entry.boot.then((value) => { app = value; }), BOOT_BOUND_MS, 'waiting for a boot');
      if (waited) process.stderr.write(`[leftovers] ${this.testPath}: ${waited}\n`);
      if (!app || entry.closed(app)) continue;
      process.stderr.write(`[leftovers] ${this.testPath}: closing an app or worker the file left open\n`);
      const closed = await bounded(app.close(), CLOSE_BOUND_MS, 'closing it');
      if (closed) process.stderr.write(`[leftovers] ${this.testPath}: ${closed}\n`);
    }
    tracked.clear();
  }
}

module.exports = QuorumEnvironment;
