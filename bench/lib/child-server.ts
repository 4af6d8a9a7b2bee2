import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup, trackChild } from './processes.js';

export interface RunningServer {
  name: string;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  baseUrl: string;
  /** The child's pid (also its process group: it is spawned detached). */
  pid?: number;
  stop(): Promise<void>;
}

export interface ChildServerSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** Merged over this process's environment; `undefined` removes a variable. */
  env?: Readonly<Record<string, string | undefined>>;
  host?: string;
  port: number;
  /** Path polled until it answers 2xx, e.g. /healthz. */
  readyPath: string;
  timeoutMs: number;
  /** Echo the child's output (otherwise only its last lines are shown, on failure). */
  echoOutput?: boolean;
}

const TAIL_LINES = 40;
const STOP_GRACE_MS = 5000;

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

export async function startChildServer(spec: ChildServerSpec): Promise<RunningServer> {
  const host = spec.host ?? '127.0.0.1';
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${spec.port}`;
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: mergeEnv(process.env, spec.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackChild(child);
  const tail = captureTail(child, spec.echoOutput === true ? spec.name : undefined);
  const stop = () => stopChild(child);
  try {
    await waitUntilReady(child, `${baseUrl}${spec.readyPath}`, spec.timeoutMs);
  } catch (error) {
    await stop();
    const output = tail().join('\n');
    throw new Error(`${spec.name}: ${(error as Error).message}${output ? `\n--- last output ---\n${output}` : ''}`, {
      cause: error,
    });
  }
  return { name: spec.name, baseUrl, pid: child.pid, stop };
}

export function mergeEnv(
  base: NodeJS.ProcessEnv,
  overrides: Readonly<Record<string, string | undefined>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function captureTail(child: ChildProcess, echoPrefix: string | undefined): () => string[] {
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      if (echoPrefix !== undefined) process.stderr.write(`[${echoPrefix}] ${line}\n`);
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return () => lines;
}

async function waitUntilReady(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as Error & { cause?: unknown }).cause;
      last = cause instanceof Error ? cause.message : (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})`);
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  signalGroup(child, 'SIGTERM');
  const escalate = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(escalate);
  }
  // Anything the server forked that ignored SIGTERM must not outlive it.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is already empty
    }
  }
}
