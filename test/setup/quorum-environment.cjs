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
  }

  async handleTestEvent(event) {
    if (event.name !== 'run_finish') return;
    const tracked = this.global.__quorumTrackedBoots;
    if (!tracked) return;
    for (const entry of tracked) {
      let app;
      const waited = await bounded(entry.boot.then((value) => { app = value; }), BOOT_BOUND_MS, 'waiting for a boot');
      if (waited) process.stderr.write(`[leftovers] ${this.testPath}: ${waited}\n`);
      if (!app || entry.closed()) continue;
      process.stderr.write(`[leftovers] ${this.testPath}: closing an app or worker the file left open\n`);
      const closed = await bounded(app.close(), CLOSE_BOUND_MS, 'closing it');
      if (closed) process.stderr.write(`[leftovers] ${this.testPath}: ${closed}\n`);
    }
    tracked.clear();
  }
}

module.exports = QuorumEnvironment;
