import { appendFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { registerAgent } from '../commands/register.js';
import { type AgentConfig, parseConfig } from '../config.js';
import { FakeQuorum } from '../http/fake-quorum.test-helper.js';
import { generateAgentKeys, writeAgentKeys } from '../sign/agent-keys.js';
import { jsonLogger } from '../util/logger.js';
import { AgentRuntime } from './agent-runtime.js';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const attempts = (ip: string) =>
  Array.from({ length: 6 }, (_, i) => `${new Date(Date.now() - 10_000 + i * 100).toISOString()} web1 sshd[9]: Failed password for root from ${ip} port ${i} ssh2\n`).join('');

describe('AgentRuntime (run) against a fake Quorum', () => {
  let server: FakeQuorum;
  let dir: string;
  let config: AgentConfig;
  let logs: string[];
  const io = { out: () => undefined, err: () => undefined, env: {} };

  beforeEach(async () => {
    server = new FakeQuorum();
    await server.start();
    dir = await mkdtemp(join(tmpdir(), 'quorum-run-'));
    logs = [];
    await writeFile(join(dir, 'auth.log'), '');
    const raw = {
      server: { url: server.url, timeout: '2s' },
      stateDir: 'state',
      logs: [{ path: 'auth.log', format: 'sshd', startAt: 'beginning' }],
      outputs: [{ type: 'text', path: 'blocklist.txt' }],
      // one signal per attacker keeps the counts below simple: the slow scenario would add a second
      scenarios: { disabled: ['quorum/ssh-slow-bf'] },
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(raw));
    config = parseConfig(raw, dir);
    // faster than the config allows, for the test only
    config.pull.intervalMs = 100;
    config.push.flushIntervalMs = 50;
    const { mkdir } = await import('node:fs/promises');
    await mkdir(config.stateDir, { recursive: true });
    await writeAgentKeys(config.privateKeyFile, generateAgentKeys());
    expect(await registerAgent({ configPath: join(dir, 'config.json'), enrollKey: 'k', tags: [], force: false }, io)).toBe(0);
  });

  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const runtime = () => new AgentRuntime(config, jsonLogger('debug', (l) => logs.push(l)), { checkpointMs: 100, tickMs: 50 });
  const blocklist = () => readFile(join(dir, 'blocklist.txt'), 'utf8').catch(() => '');

  it('detects, pushes, follows a rotation, applies the blocklist, and resumes without re-reporting', async () => {
    const rt = runtime();
    await rt.start();
    await appendFile(join(dir, 'auth.log'), attempts('203.0.113.5'));
    await until('first signal', () => server.signals.size === 1);
    expect([...server.signals.values()][0]).toMatchObject({ ip: '203.0.113.5', scenario: 'quorum/ssh-bf' });

    server.publish({ '198.51.100.7': '2030-01-01T00:00:00.000Z' });
    // the community entry and the agent's own decision, in one file
    await until('blocklist file', async () => (await readFile(join(dir, 'blocklist.txt'), 'utf8').catch(() => '')) === '198.51.100.7\n203.0.113.5\n');

    await rename(join(dir, 'auth.log'), join(dir, 'auth.log.1'));
    await writeFile(join(dir, 'auth.log'), attempts('203.0.113.6'));
    await until('signal after rotation', () => server.signals.size === 2);
    await rt.stop();

    const status = JSON.parse(await readFile(config.statusFile, 'utf8'));
    expect(status).toMatchObject({ stoppedAt: expect.any(String), spool: { pending: 0 }, push: { signalsAcknowledged: 2 } });

    const again = runtime();
    await again.start();
    await new Promise((r) => setTimeout(r, 300));
    await again.stop();
    expect(server.signals.size).toBe(2);
    expect(server.duplicateCount).toBe(0);
  });

  it('keeps detecting while the server is down and delivers everything once it is back', async () => {
    const rt = runtime();
    await rt.start();
    const port = server.port;
    const agents = server.agents;
    const received = server.signals;
    await server.stop();
    await appendFile(join(dir, 'auth.log'), attempts('203.0.113.7') + 'garbage line\n' + attempts('203.0.113.8'));
    await until('spooled while down', async () => JSON.parse(await readFile(config.statusFile, 'utf8').catch(() => '{}')).spool?.pending === 2);
    server = new FakeQuorum();
    Object.assign(server, { agents, signals: received });
    await server.start(port);
    await rt['pusher']?.step(true);
    await until('delivered after the outage', () => server.signals.size === 2, 8000);
    await rt.stop();
    expect([...server.signals.values()].map((s) => s.ip).sort()).toEqual(['203.0.113.7', '203.0.113.8']);
    expect(logs.some((l) => l.includes('push failed, will retry'))).toBe(true);
  });

  it('blocks its own detections at once without any community listing, spares recent logins, and drops them at expiry', async () => {
    config.pull.enabled = false;
    config.remediation.durationMs = 1500; // below the configurable minimum, for the test only
    const rt = runtime();
    await rt.start();
    try {
      const now = new Date().toISOString();
      await appendFile(join(dir, 'auth.log'), `${now} web1 sshd[9]: Accepted publickey for alice from 198.51.100.44 port 5 ssh2: ED25519 SHA256:x\n`);
      await appendFile(join(dir, 'auth.log'), attempts('203.0.113.9') + attempts('198.51.100.44'));
      await until('the attacker in the output', async () => (await blocklist()) === '203.0.113.9\n');
      // the address that logged in is reported (the server weighs it) but not blocked here
      await until('both signals reported', () => server.signals.size === 2);
      expect((rt.status().remediation as { skippedRecentLogin: number }).skippedRecentLogin).toBe(1);
      expect(logs.some((l) => l.includes('"local decisions applied"'))).toBe(true);
      await until('the decision expired', async () => (await blocklist()) === '', 5000);
      expect(rt.status().remediation).toMatchObject({ decisions: 0, expired: 1 });
    } finally {
      await rt.stop();
    }
  });

  it('in dry-run mode decides and logs, but leaves the outputs alone', async () => {
    config.pull.enabled = false;
    config.remediation.dryRun = true;
    const rt = runtime();
    await rt.start();
    try {
      await appendFile(join(dir, 'auth.log'), attempts('203.0.113.10'));
      await until('the decision', () => (rt.status().remediation as { decisions: number }).decisions === 1);
      await until('the log line', () => logs.some((l) => l.includes('dry run')));
      expect(await blocklist()).toBe('');
    } finally {
      await rt.stop();
    }
  });

  it('refuses to run before registration', async () => {
    await rm(join(config.stateDir, 'agent.json'));
    await expect(runtime().start()).rejects.toThrow(/not registered/);
  });
});
