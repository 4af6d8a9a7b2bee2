// bench:mirror's feed server: the routes of src/lookup/mirror/mirror.controller.ts (snapshot, deltas
// with long poll, 204, 410) over node:http on loopback, around the same MirrorFeed, without
// authentication, entitlement or metering (the e2e test covers those through the real stack).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IpScoreIndex } from '../../src/lookup/index/ip-score-index.js';
import type { MirrorFeed } from '../../src/lookup/mirror/mirror-feed.js';

export interface FeedServer {
  url: string;
  /** deltas published (the publisher's check ran and found a change) */
  published: number;
  /** ms spent in MirrorFeed.publish, per publication */
  publishMs: number[];
  stop(): Promise<void>;
}

/** Serves `feed`, publishing `current()` every `publishMs` when it moved (as MirrorService does). */
export async function startFeedServer(feed: MirrorFeed, current: () => IpScoreIndex, publishMs: number): Promise<FeedServer> {
  let waiters: Array<() => void> = [];
  let seen: IpScoreIndex | null = null;
  let seenVersion = -1;
  const state = { published: 0, publishMs: [] as number[] };
  const timer = setInterval(() => {
    const index = current();
    if (index === seen && index.version === seenVersion) return;
    seen = index;
    seenVersion = index.version;
    const started = performance.now();
    const delta = feed.publish(index);
    if (!delta) return;
    state.publishMs.push(performance.now() - started);
    state.published++;
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  }, publishMs);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://feed.local');
    void (async () => {
      if (url.pathname === '/v1/mirror/snapshot') {
        const frame = await feed.snapshotFrame();
        res.writeHead(200, { 'content-type': 'application/vnd.quorum.mirror', 'content-length': frame.length });
        res.end(frame);
        return;
      }
      if (url.pathname === '/v1/mirror/deltas') {
        const epoch = Number(url.searchParams.get('epoch'));
        const since = Number(url.searchParams.get('since'));
        const waitMs = Number(url.searchParams.get('wait') ?? 0) * 1000;
        if (epoch === feed.epoch && since === feed.version && waitMs > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, waitMs);
            waiters.push(() => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        const answer = feed.deltasSince(epoch, since);
        if (answer.kind === 'current') {
          res.writeHead(204);
          res.end();
        } else if (answer.kind === 'resync') {
          res.writeHead(410, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'mirror_resync', message: answer.reason }));
        } else {
          const body = Buffer.concat(answer.frames);
          res.writeHead(200, { 'content-type': 'application/vnd.quorum.mirror', 'content-length': body.length });
          res.end(body);
        }
        return;
      }
      res.writeHead(404);
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get published() {
      return state.published;
    },
    publishMs: state.publishMs,
    stop: async () => {
      clearInterval(timer);
      for (const w of waiters) w();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
