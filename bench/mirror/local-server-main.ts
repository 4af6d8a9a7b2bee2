// Child-process entry of bench:mirror's loopback servers. BENCH_MIRROR_MODE=mirror: the agent client's
// MirrorHttpServer over a MirrorTable loaded from the snapshot file (TCP on PORT, plus the Unix socket
// BENCH_MIRROR_SOCKET when set). BENCH_MIRROR_MODE=baseline: a bare node:http server answering /check
// with the same status and headers, without a lookup.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { MirrorHttpServer } from '../../agent-client/src/mirror/mirror-http.js';
import { MirrorTable } from '../../agent-client/src/mirror/mirror-table.js';
import { decodeFrame, mirrorPublicKey } from '../../agent-client/src/mirror/mirror-wire.js';

const port = Number(process.env.PORT);
const mode = process.env.BENCH_MIRROR_MODE;
const stops: Array<() => Promise<void>> = [];

if (mode === 'mirror') {
  const table = new MirrorTable();
  table.apply(decodeFrame(await readFile(process.env.BENCH_MIRROR_SNAPSHOT ?? ''), mirrorPublicKey(process.env.BENCH_MIRROR_PUBLIC_KEY ?? '')));
  const tcp = new MirrorHttpServer(table, { listen: { host: '127.0.0.1', port }, denyScore: 63 });
  await tcp.start();
  stops.push(() => tcp.stop());
  if (process.env.BENCH_MIRROR_SOCKET) {
    const unix = new MirrorHttpServer(table, { listen: { socketPath: process.env.BENCH_MIRROR_SOCKET }, denyScore: 63 });
    await unix.start();
    stops.push(() => unix.stop());
  }
} else {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': 2 });
      res.end('{}');
      return;
    }
    res.writeHead(403, { 'x-quorum-classification': 'malicious', 'x-quorum-score': '95', 'content-length': 0 });
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

const shutdown = (): void => {
  void Promise.allSettled(stops.map((stop) => stop())).finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
