// Issue 15 finding F11: during a Redis outage, multi-line error dumps reached stdout/stderr outside the
// JSON logger. The built service (`quorum all`: API plus its worker child) runs behind TCP proxies to
// the real Redis and PostgreSQL; the proxies are cut for a few seconds and restored, and every line the
// processes wrote must be one JSON object.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { testEnv } from '../setup/test-env.js';
import { waitFor } from '../support/waits.js';

const root = resolve(__dirname, '..', '..');
// QUORUM_TEST_CLI_ENTRY: an already built entry (a private build), instead of building dist/.
const ENTRY = process.env.QUORUM_TEST_CLI_ENTRY ?? 'bin/quorum.js';

/** A loopback TCP proxy that can be cut (listener closed, every connection destroyed) and restored. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', () => r()));
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}

interface LogLine {
  level: number;
  time: number;
  msg?: string;
  context?: string;
}

describe('F11: every line a server process writes is JSON, through Redis and PostgreSQL outages', () => {
  const redis = new CuttableProxy(Number(new URL(testEnv().REDIS_URL).port || 6379));
  const postgres = new CuttableProxy(Number(new URL(testEnv().DATABASE_URL).port || 5432));
  let child: ChildProcess | null = null;
  let stdout = '';
  let stderr = '';

  beforeAll(() => {
    if (process.env.QUORUM_TEST_CLI_ENTRY) return;
    const build = spawnSync(process.execPath, ['scripts/with-build.mjs'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await redis.cut();
    await postgres.cut();
  });

  it('logs the outage and the recovery as JSON lines only (stdout and stderr)', async () => {
    await redis.start();
    await postgres.start();
    const redisUrl = new URL(testEnv().REDIS_URL);
    redisUrl.port = String(redis.port);
    const databaseUrl = new URL(testEnv().DATABASE_URL);
    databaseUrl.port = String(postgres.port);
    child = spawn(process.execPath, [ENTRY, 'all'], {
      cwd: root,
      env: {
        ...process.env,
        ...testEnv(),
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: redisUrl.toString(),
        REDIS_PREFIX: 'quorum-test-json-logs',
        QUORUM_LOG_LEVEL: 'info',
        QUORUM_SCORING_TICK_MS: '1000',
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    await waitFor('the API and the worker', 90_000, () => stdout.includes('Quorum API listening') && stdout.includes('Quorum worker started'));
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.cut();
    await postgres.cut();
    await waitFor('the outage in the logs', 30_000, () => /Redis unavailable/.test(stdout) && /"context":"QueueWorker"/.test(stdout));
    await new Promise((r) => setTimeout(r, 4_000));
    await redis.start();
    await postgres.start();
    await new Promise((r) => setTimeout(r, 4_000));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 30_000)));
    expect(await Promise.race([exited, deadline])).not.toBe('timeout');
    clearTimeout(timer);

    const notJson: string[] = [];
    const lines: LogLine[] = [];
    for (const [stream, text] of [['stdout', stdout], ['stderr', stderr]] as const) {
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const value = JSON.parse(line) as unknown;
          if (typeof value !== 'object' || value === null || typeof (value as LogLine).level !== 'number' || typeof (value as LogLine).time !== 'number') throw new Error('not a log object');
          lines.push(value as LogLine);
        } catch {
          notJson.push(`${stream}: ${line.slice(0, 200)}`);
        }
      }
    }
    expect(notJson.slice(0, 40)).toEqual([]);
    // The outage was seen, by the API's Redis client and by the BullMQ workers, and logged as JSON.
    const warnings = lines.filter((l) => l.level >= 40).map((l) => l.msg ?? '');
    expect(warnings.some((m) => m.startsWith('Redis unavailable'))).toBe(true);
    expect(warnings.some((m) => /^worker \w+Processor: /.test(m))).toBe(true);
  }, 240_000);
});
