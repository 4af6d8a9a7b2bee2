// Child-process entry of the raw Fastify baseline (see rawFastifyChild): PORT and BENCH_RAW_* from env.
import { routeFromEnv, startRawFastify } from './raw-fastify.js';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('raw-fastify: PORT must be a TCP port\n');
  process.exit(2);
}

const server = await startRawFastify({
  host: process.env.BENCH_RAW_HOST ?? '127.0.0.1',
  port,
  route: routeFromEnv(process.env),
});

const shutdown = (): void => {
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
