import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HEADER_BYTES, TAG_BYTES, backupKey, decryptStream } from './backup-crypto.js';

const STDERR_LIMIT = 4_000;

/** libpq accepts a URL; drop Prisma/driver-only query parameters (keep sslmode). */
export function libpqUrl(url: string): string {
  const u = new URL(url);
  for (const name of [...u.searchParams.keys()]) if (name !== 'sslmode') u.searchParams.delete(name);
  return u.toString();
}

/** Runs a PostgreSQL client tool; rejects with its (bounded) stderr when it fails. */
function run(command: string, args: string[], io: { stdin?: AsyncIterable<Buffer>; stdout?: Writable } = {}): Promise<void> {
  const child = spawn(command, args, { stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim().slice(0, STDERR_LIMIT)}`))));
  });
  const flows: Array<Promise<void>> = [exited];
  if (io.stdin && child.stdin) flows.push(pipeline(io.stdin, child.stdin));
  if (io.stdout && child.stdout) flows.push(pipeline(child.stdout, io.stdout));
  return Promise.all(flows).then(() => undefined, (error: Error) => {
    child.kill('SIGTERM');
    throw error;
  });
}

async function* decrypted(file: string, secret: string): AsyncGenerator<Buffer> {
  const size = (await stat(file)).size;
  if (size < HEADER_BYTES + TAG_BYTES) throw new Error('backup file is truncated');
  const handle = await open(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const body = createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 });
  yield* decryptStream(backupKey(secret), header, tag, body);
}

/** Authenticates a whole backup file (AES-GCM tag) without writing anything. */
export async function verifyBackup(file: string, secret: string): Promise<void> {
  await pipeline(decrypted(file, secret), new Writable({ write: (_chunk, _enc, done) => done() }));
}

/**
 * Restores a backup into `databaseUrl` (an empty database, or one whose objects are replaced:
 * `--clean --if-exists`). The file is authenticated first, so a damaged or forged backup restores
 * nothing. The erasure ledger must be replayed afterwards (ledger-replay.service.ts).
 */
export async function restoreBackup(file: string, databaseUrl: string, secret: string): Promise<void> {
  await verifyBackup(file, secret);
  await run('pg_restore', ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--exit-on-error', `--dbname=${libpqUrl(databaseUrl)}`], { stdin: decrypted(file, secret) });
}
