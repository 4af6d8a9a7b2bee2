import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './waits.js';

const run = promisify(execFile);

/** A throw-away Redis Cluster of `masters` redis-server processes on loopback (no replicas, no persistence). */
export interface RedisClusterHandle {
  /** `host:port` of each master, as REDIS_CLUSTER_NODES takes them */
  readonly nodes: readonly string[];
  stop(): Promise<void>;
}

/** Starting and forming the cluster; past it the machine is taken to be unable to run one. */
const START_TIMEOUT_MS = 60_000;

function executable(names: readonly string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const name of names) {
    for (const dir of [...dirs, '/usr/bin', '/usr/sbin']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port whose cluster bus port (+10000) is free too, none of `taken`. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
  throw new Error('no free loopback port pair for a cluster node');
}

/**
 * Why this machine cannot run a Redis Cluster (null when it can): Debian's redis-server and redis-cli
 * are what `scripts/ensure-services.sh` installs for the test suite. Suites skip with this reason,
 * printed.
 */
export function redisClusterUnavailable(): string | null {
  if (!executable(['redis-server']) || !executable(['redis-cli'])) {
    return 'redis-server and redis-cli are not installed (Debian: apt-get install redis-server redis-tools; scripts/ensure-services.sh does it as root)';
  }
  return null;
}

/** `describe` when a cluster can run here; else `describe.skip`, with the reason printed once. */
export function describeWithRedisCluster(name: string, body: () => void): void {
  const reason = redisClusterUnavailable();
  if (reason) process.stdout.write(`skipping "${name}": ${reason}\n`);
  (reason ? describe.skip : describe)(name, body);
}

/**
 * Starts `masters` (3 by default) cluster-enabled redis-servers from the system's package (Debian's
 * `redis-server`), each in its own temporary folder, and joins them with `redis-cli --cluster create`,
 * within a minute. On failure, whatever was started is stopped and the error thrown. A process exit
 * kills the servers too, so a crashed test run leaves none behind.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const server = executable(['redis-server']);
  const cli = executable(['redis-cli']);
  if (!server || !cli) throw new Error(redisClusterUnavailable() ?? 'redis-server missing');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const killAll = (): void => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killAll);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) ports.push(await clusterPort(taken));
    let output = '';
    for (const port of ports) {
      const dir = mkdtempSync(join(tmpdir(), `quorum-redis-cluster-${port}-`));
      dirs.push(dir);
      const child = spawn(
        server,
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '5000', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
      children.push(child);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    const left = () => Math.max(1_000, deadline - Date.now());
    const cliCall = async (args: string[]): Promise<string> => (await run(cli, args, { timeout: left() })).stdout;
    for (const port of ports) {
      await waitFor(`redis-server on port ${port}`, left(), async () => {
        if (children.some((c) => c.exitCode !== null)) throw new Error(`a redis-server exited: ${output}`);
        return (await cliCall(['-h', '127.0.0.1', '-p', String(port), 'ping']).catch(() => '')).includes('PONG');
      }, 100);
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await cliCall(['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(`cluster_state:ok on port ${port}`, left(), async () => (await cliCall(['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info']).catch(() => '')).includes('cluster_state:ok'), 100);
    }
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw new Error(`could not start a ${masters}-master Redis Cluster: ${(error as Error).message}`, { cause: error });
  }
}
