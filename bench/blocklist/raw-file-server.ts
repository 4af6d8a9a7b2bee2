import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildServerSpec } from '../lib/child-server.js';

/** The bare-Fastify baseline as a child process serving `body` (written to a temporary file) at `path`. */
export function rawFileServerChild(path: string, contentType: string, body: Buffer, port: number, timeoutMs: number): ChildServerSpec {
  const file = join(mkdtempSync(join(tmpdir(), 'quorum-bench-bl-')), 'body');
  writeFileSync(file, body);
  return {
    name: 'raw-fastify',
    command: process.execPath,
    args: [fileURLToPath(new URL('./raw-file-server-main.js', import.meta.url))],
    env: { PORT: String(port), BENCH_RAW_FILE: file, BENCH_RAW_PATH: path, BENCH_RAW_CONTENT_TYPE: contentType },
    port,
    readyPath: path,
    timeoutMs,
  };
}
