import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { waitFor as pollFor } from '../support/waits.js';

/** Helpers for the tests that run Debian's real CrowdSec engine and bouncers against Quorum. */
export const ROOT = resolve(__dirname, '../..');
export const SCRIPTS = join(ROOT, 'test/crowdsec');

/**
 * Installs the engine and both bouncers when missing (scripts/ensure-crowdsec.sh). Returns why the
 * machine cannot run them (not root, no apt-get, no package mirror), or null when they are usable.
 */
export function ensureCrowdsec(): string | null {
  const install = spawnSync('bash', [join(ROOT, 'scripts/ensure-crowdsec.sh')], { encoding: 'utf8', timeout: 900_000 });
  if (install.status === 0) return null;
  if (install.status === 2) return `cannot install crowdsec here: ${install.stderr.trim()}`;
  throw new Error(`cannot install crowdsec (exit ${install.status ?? install.signal}): ${install.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** test/support/waits.ts waitFor, every 500 ms by default: these probes run the engine's CLI (a process each). */
export function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | false> | T | null | false, intervalMs = 500): Promise<T> {
  return pollFor(what, timeoutMs, probe, intervalMs);
}

/** Runs a test/crowdsec script asynchronously: Quorum runs in this process and must keep answering. */
export function run(script: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [join(SCRIPTS, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(stdout);
      else fail(new Error(`${script} ${args.join(' ')} failed (${code ?? signal}): ${stderr}${stdout}`));
    });
  });
}

export interface EngineAlert {
  scenario: string;
  value: string;
}

/** Alerts the engine raised itself (not the CAPI / lists imports), from `cscli alerts list`. */
export async function engineAlerts(dir: string): Promise<EngineAlert[]> {
  const out = await run('engine.sh', [dir, 'cscli', 'alerts', 'list', '-l', '100000', '-o', 'json']);
  const alerts = JSON.parse(out.trim() || '[]') as Array<{ scenario?: string; source?: { value?: string; scope?: string } }> | null;
  return (alerts ?? [])
    .filter((a) => typeof a.scenario === 'string' && a.scenario.includes('/') && a.source?.scope === 'Ip' && typeof a.source.value === 'string')
    .map((a) => ({ scenario: a.scenario as string, value: a.source?.value as string }));
}

/**
 * Alerts the engine raised, from its log ("Ip X performed 'author/name' ..."): every overflow of a
 * scenario on an address becomes one alert, hence one signal. Cheap, unlike `cscli alerts list`,
 * which takes minutes once hundreds of alerts are stored.
 */
export function loggedAlerts(dir: string): EngineAlert[] {
  let log: string;
  try {
    log = readFileSync(join(dir, 'log/crowdsec.log'), 'utf8');
  } catch {
    return [];
  }
  const alerts: EngineAlert[] = [];
  for (const match of log.matchAll(/msg="Ip (\S+) performed '([^'/]+\/[^']+)'/g)) alerts.push({ value: match[1], scenario: match[2] });
  return alerts;
}

/** Values with origin CAPI among the engine's decisions (`cscli decisions list -a -o json`). */
export async function capiValues(dir: string): Promise<Set<string>> {
  const out = await run('engine.sh', [dir, 'cscli', 'decisions', 'list', '-a', '-o', 'json']);
  const values = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.origin === 'CAPI' && typeof o.value === 'string') values.add(o.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(out.trim() || 'null'));
  return values;
}

/**
 * Times (ms) of the engine's signal pushes, from its log ("Signal push: N signals to push"). 1.4.6
 * pushes on a ticker (first tick 15-45 s after start, then every 30 s) and only logs a tick that has
 * something to send.
 */
export function pushTimes(dir: string): Array<{ atMs: number; count: number }> {
  let log: string;
  try {
    log = readFileSync(join(dir, 'log/crowdsec.log'), 'utf8');
  } catch {
    return [];
  }
  const pushes: Array<{ atMs: number; count: number }> = [];
  for (const line of log.split('\n')) {
    // logrus text format of 1.4.6: time="DD-MM-YYYY HH:MM:SS" in the machine's local time.
    const match = /time="(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)".*Signal push: (\d+) signals to push/.exec(line);
    if (match) {
      const [dd, mm, yyyy, hh, mi, ss] = match.slice(1, 7).map(Number);
      pushes.push({ atMs: new Date(yyyy, mm - 1, dd, hh, mi, ss).getTime(), count: Number(match[7]) });
    }
  }
  return pushes;
}

/** nginx "combined" access-log lines, as the engine's nginx parser reads them. */
export function nginxLine(ip: string, path: string, status: number, userAgent = 'Mozilla/5.0 (X11; Linux x86_64)'): string {
  const d = new Date();
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const when = `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  return `${ip} - - [${when}] "GET ${path} HTTP/1.1" ${status} 153 "-" "${userAgent}"\n`;
}

/** sshd "Failed password" syslog lines (six or more from one address raise crowdsecurity/ssh-bf and ssh-bf_user-enum). */
export function sshdLines(ip: string, count: number): string {
  const users = ['root', 'admin', 'oracle', 'test', 'ubuntu', 'postgres'];
  const d = new Date();
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${months[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  let out = '';
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length];
    const what = user === 'root' ? 'root' : `invalid user ${user}`;
    out += `${stamp} quorum-test sshd[${3000 + i}]: Failed password for ${what} from ${ip} port ${40000 + i} ssh2\n`;
  }
  return out;
}

/**
 * A TCP forwarder in front of Quorum: `cut()` makes Quorum unreachable (listener closed, open
 * connections reset: the engine gets "connection refused"), `restore()` listens again on the same
 * address. Also used to reach Quorum from inside a network namespace.
 */
export class TcpForwarder {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  connections = 0;
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly host = '127.0.0.1',
  ) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      this.connections++;
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, this.host, () => done());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }

  async restore(): Promise<void> {
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
