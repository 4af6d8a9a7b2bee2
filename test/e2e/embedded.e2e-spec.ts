import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DemoAgent, type DemoAgentFile, type HttpClient } from '../../src/embedded/demo-agents.js';
import { campaignAddresses } from '../../src/embedded/demo-simulation.js';

const root = resolve(__dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

function boot(dataDir: string, port: number): Running {
  const child = spawn(process.execPath, ['bin/quorum.js', 'all', '--embedded', '--data-dir', dataDir], {
    cwd: root,
    // No DATABASE_URL / REDIS_URL: nothing but the data folder backs this process.
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', PORT: String(port), HOST: '127.0.0.1', QUORUM_LOG_LEVEL: 'warn', QUORUM_SCORING_TICK_MS: '1000', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, exited };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000));
  const code = await Promise.race([running.exited, timer]);
  if (code === 'timeout') {
    running.child.kill('SIGKILL');
    throw new Error('embedded process did not stop within 20 s');
  }
  return code;
}

describe('embedded mode (no PostgreSQL, no Redis): boot, ingest, list, look up, restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'quorum-embedded-'));
  let port: number;
  let running: Running | null = null;
  const base = () => `http://127.0.0.1:${port}`;
  const http: HttpClient = async (call) => {
    const body = call.payload === undefined ? undefined : typeof call.payload === 'string' ? call.payload : JSON.stringify(call.payload);
    const headers = { ...(body && !call.headers?.['content-type'] ? { 'content-type': 'application/json' } : {}), ...call.headers };
    const res = await fetch(base() + call.url, { method: call.method, headers, body });
    return { statusCode: res.status, body: await res.text() };
  };
  const ready = () => until('readiness', 90_000, async () => ((await fetch(`${base()}/readyz`)).status === 200 ? true : null));
  const lookup = async (ip: string, key: string) => {
    const res = await fetch(`${base()}/v1/ip/${ip}`, { headers: { 'x-api-key': key } });
    return res.status === 200 ? ((await res.json()) as { listed: boolean; reporters: string }) : null;
  };

  beforeAll(() => {
    const build = spawnSync(process.execPath, ['scripts/with-build.mjs'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }, 300_000);

  afterAll(async () => {
    if (running) await stop(running).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds a demo, lists an attacked address from signed signals, and keeps it across a restart', async () => {
    port = await freePort();
    const first = boot(dataDir, port);
    running = first;
    // The banner comes after the seed, which runs once the API listens.
    await until('the banner', 90_000, async () => (first.stdout().includes('Demo data created') ? true : null));
    await ready();
    const banner = running.stdout();
    expect(banner).toContain(`${base()}/docs`);
    expect(banner).toMatch(/operator\s+admin@demo\.quorum\.local\s+password \S{12,}/);
    const apiKey = /API key\s+(qk_\S+)/.exec(banner)?.[1];
    expect(apiKey).toBeDefined();

    const files = JSON.parse(readFileSync(join(dataDir, 'demo-agents.json'), 'utf8')) as DemoAgentFile[];
    expect(files).toHaveLength(4);
    const agents = files.map((file) => new DemoAgent(file, http));
    const target = campaignAddresses(0)[0];
    const now = Date.now();
    for (const agent of agents) {
      const res = await agent.push([
        { ip: target, scenario: 'crowdsecurity/ssh-bf', started_at: new Date(now - 30_000).toISOString(), stopped_at: new Date(now - 1_000).toISOString() },
      ]);
      expect(res.statusCode).toBe(200);
    }
    const listed = await until('a listing', 60_000, async () => {
      const answer = await lookup(target, apiKey!);
      return answer?.listed ? answer : null;
    });
    expect(listed.reporters).toBe('3-5');
    const blocklist = await http({ method: 'GET', url: '/v1/blocklist', headers: { 'x-api-key': apiKey! } });
    expect(blocklist.statusCode).toBe(200);
    expect(blocklist.body).toContain(`"value":"${target}"`);

    expect(await stop(running)).toBe(0);
    running = boot(dataDir, port);
    await ready();
    expect(running.stdout()).not.toContain('Demo data created');
    const after = await until('the lookup after restart', 30_000, () => lookup(target, apiKey!));
    expect(after.listed).toBe(true);
    expect(await stop(running)).toBe(0);
    running = null;
  }, 240_000);
});
