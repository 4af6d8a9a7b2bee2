// Child-process entry of the download baseline: a bare Fastify route answering the bytes of a file,
// held in memory (the shared raw-fastify child takes its body through the environment, which cannot
// carry a multi-megabyte list). PORT, BENCH_RAW_FILE, BENCH_RAW_PATH, BENCH_RAW_CONTENT_TYPE from env.
import { readFileSync } from 'node:fs';
import { startRawFastify } from '../lib/raw-fastify.js';

const port = Number(process.env.PORT);
const file = process.env.BENCH_RAW_FILE;
if (!Number.isInteger(port) || port <= 0 || !file) {
  process.stderr.write('raw-file-server: PORT and BENCH_RAW_FILE are required\n');
  process.exit(2);
}

const server = await startRawFastify({
  host: '127.0.0.1',
  port,
  route: {
    method: 'GET',
    // Routes match the path only; the query string the load generator sends is ignored.
    path: (process.env.BENCH_RAW_PATH ?? '/').split('?')[0],
    status: 200,
    contentType: process.env.BENCH_RAW_CONTENT_TYPE ?? 'application/octet-stream',
    body: readFileSync(file),
  },
});

const shutdown = (): void => {
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
