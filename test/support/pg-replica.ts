// A private PostgreSQL primary and a streaming replica of it (Debian's initdb, pg_ctl, pg_basebackup) on
// loopback ports, for the read-replica tests (docs/scaling.md "Read replica"). The machine's own
// cluster is never touched: both data directories live in a temporary directory removed at stop.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from './waits.js';

const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'];
/** Bound of one server command (initdb, a start, a base backup) on a busy machine. */
const COMMAND_TIMEOUT_MS = 90_000;

interface Runner {
  bin: string;
  /** `runuser -u postgres --` when this process is root (initdb refuses root), else nothing */
  prefix: string[];
  uid: number | null;
  gid: number | null;
}

/** The newest installed PostgreSQL whose server tools are all present. */
function findBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (TOOLS.every((tool) => existsSync(join(bin, tool)))) return bin;
  }
  return null;
}

function idOf(flag: '-u' | '-g', user: string): number | null {
  try {
    return Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

let runner: Runner | null = null;

/** null when this machine can run a private primary and replica, else why not (the caller skips and prints it). */
export function pgReplicaUnavailable(): string | null {
  const bin = findBin();
  if (!bin) return `no PostgreSQL server tools (${TOOLS.join(', ')}) under /usr/lib/postgresql/<version>/bin`;
  if (process.getuid?.() !== 0) {
    runner = { bin, prefix: [], uid: null, gid: null };
    return null;
  }
  const uid = idOf('-u', 'postgres');
  const gid = idOf('-g', 'postgres');
  if (uid === null || gid === null) return 'running as root and there is no postgres user to run initdb as';
  if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root without runuser to run initdb as postgres';
  runner = { bin, prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
  return null;
}

function run(r: Runner, tool: string, args: string[]): void {
  const [command, ...rest] = [...r.prefix, join(r.bin, tool), ...args];
  const result = spawnSync(command, rest, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr || result.stdout}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function query<T extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface PgReplicaPair {
  /** URL of `database` on the private primary / on its replica */
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  /** Waits until the replica has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops WAL replay on the replica (it keeps serving reads, frozen in time): a lagging replica. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the replica's server (the primary keeps running): a replica that is down. */
  stopReplica(): void;
  stop(): void;
}

/**
 * initdb a primary (trust auth, fsync off) on a free loopback port, clone it with pg_basebackup -R into
 * a hot standby on another port, and start both. Call pgReplicaUnavailable() first.
 */
export async function startPgReplicaPair(): Promise<PgReplicaPair> {
  const r = runner;
  if (!r) throw new Error('pgReplicaUnavailable() must be called first and return null');
  const dir = mkdtempSync(join(tmpdir(), 'quorum-pg-replica-'));
  if (r.uid !== null && r.gid !== null) chownSync(dir, r.uid, r.gid);
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const started: string[] = [];
  const stopAll = (): void => {
    for (const data of started.splice(0).reverse()) {
      try {
        run(r, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } catch {
        // already stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process killed mid-run must not leave servers behind.
  process.once('exit', stopAll);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  try {
    const options = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=40`;
    run(r, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    run(r, 'pg_ctl', ['-D', primaryDir, '-l', join(dir, 'primary.log'), '-w', '-t', '60', '-o', `${options(primaryPort)} -c wal_level=replica -c max_wal_senders=4`, 'start']);
    started.push(primaryDir);
    run(r, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    run(r, 'pg_ctl', ['-D', replicaDir, '-l', join(dir, 'replica.log'), '-w', '-t', '60', '-o', `${options(replicaPort)} -c hot_standby=on`, 'start']);
    started.push(replicaDir);
  } catch (error) {
    process.removeListener('exit', stopAll);
    stopAll();
    throw error;
  }
  const url = (port: number, database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const replicaAdmin = url(replicaPort, 'postgres');
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    async caughtUp(timeoutMs = 60_000) {
      const [{ lsn }] = await query<{ lsn: string }>(url(primaryPort, 'postgres'), 'SELECT pg_current_wal_lsn()::text AS lsn');
      await waitFor('the replica to replay the primary', timeoutMs, async () => {
        const [row] = await query<{ done: boolean }>(replicaAdmin, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
        return row.done;
      });
    },
    async pauseReplay() {
      await query(replicaAdmin, 'SELECT pg_wal_replay_pause()');
      await waitFor('replay to pause', 30_000, async () => (await query<{ s: string }>(replicaAdmin, 'SELECT pg_get_wal_replay_pause_state() AS s'))[0].s === 'paused');
    },
    async resumeReplay() {
      await query(replicaAdmin, 'SELECT pg_wal_replay_resume()');
    },
    stopReplica() {
      run(r, 'pg_ctl', ['-D', replicaDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
      started.splice(started.indexOf(replicaDir), 1);
    },
    stop() {
      process.removeListener('exit', stopAll);
      stopAll();
    },
  };
}
