import { chmod, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { MirrorTable, MirrorVerdict } from './mirror-table.js';

/** Where the local answers are served: TCP (loopback by default) or a Unix socket. */
export type MirrorListen = { host: string; port: number } | { socketPath: string };

export interface MirrorHttpOptions {
  listen: MirrorListen;
  /** `/check` denies (403) an address whose score is at least this (0-101; 101: listed addresses only); listed addresses are always denied */
  denyScore: number;
  /** `/check` answer while no copy is loaded yet: allow (fail open, the default) or deny */
  failClosed?: boolean;
  /** ms since the copy was last confirmed current (shown by /healthz) */
  staleMs?: () => number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** `X-Original-IP`, else `X-Real-IP`, else the first `X-Forwarded-For` address, else `?ip=`. */
function addressOf(req: IncomingMessage, url: URL): string | null {
  const header = (name: string): string | null => {
    const v = req.headers[name];
    return typeof v === 'string' && v.length > 0 ? v : null;
  };
  const forwarded = header('x-forwarded-for');
  return header('x-original-ip') ?? header('x-real-ip') ?? (forwarded ? forwarded.split(',')[0].trim() : null) ?? url.searchParams.get('ip');
}

/**
 * The mirror's answers for local programs, without a network round trip:
 * - `GET /v1/ip/{ip}`: the JSON answer (same field names as the service's `GET /v1/ip/{ip}`);
 * - `GET /check`: for nginx `auth_request`: 200 allow or 403 deny, with `X-Quorum-Classification` and
 *   `X-Quorum-Score` headers and no body; the address from `X-Original-IP`, `X-Real-IP`,
 *   `X-Forwarded-For` or `?ip=`;
 * - `GET /healthz`: version, generation, keys and staleness of the copy.
 */
export class MirrorHttpServer {
  private server: Server | null = null;

  constructor(
    private readonly table: MirrorTable,
    private readonly o: MirrorHttpOptions,
  ) {}

  /** Starts listening; returns the TCP port (0 for a Unix socket). */
  async start(): Promise<number> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    this.server = server;
    const listen = this.o.listen;
    if ('socketPath' in listen) {
      await rm(listen.socketPath, { force: true });
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listen.socketPath, () => resolve()));
      await chmod(listen.socketPath, 0o660);
      return 0;
    }
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listen.port, listen.host, () => resolve()));
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if ('socketPath' in this.o.listen) await rm(this.o.listen.socketPath, { force: true });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, { code: 'method_not_allowed', message: 'GET only' });
    const url = new URL(req.url ?? '/', 'http://mirror.local');
    const path = url.pathname;
    if (path === '/check') return this.check(req, res, url);
    if (path.startsWith('/v1/ip/')) {
      if (!this.table.loaded) return this.send(res, 503, { code: 'mirror_loading', message: 'The mirror has no copy yet' });
      const answer = this.table.answer(decodeURIComponent(path.slice('/v1/ip/'.length)));
      if (!answer) return this.send(res, 400, { code: 'invalid_ip', message: 'Not an IPv4 or IPv6 address' });
      return this.send(res, 200, answer);
    }
    if (path === '/healthz') {
      const t = this.table;
      return this.send(res, t.loaded ? 200 : 503, { loaded: t.loaded, epoch: t.epoch, version: t.version, generation: t.generation, keys: t.size, staleMs: this.o.staleMs?.() ?? null });
    }
    this.send(res, 404, { code: 'route_not_found', message: 'GET /v1/ip/{ip}, /check or /healthz' });
  }

  private check(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const ip = addressOf(req, url);
    if (!this.table.loaded) {
      res.writeHead(this.o.failClosed ? 403 : 200, { 'x-quorum-classification': 'unavailable', 'content-length': 0 });
      res.end();
      return;
    }
    const verdict: MirrorVerdict | null = ip === null ? null : this.table.check(ip);
    if (!verdict) {
      res.writeHead(400, { 'x-quorum-classification': 'invalid', 'content-length': 0 });
      res.end();
      return;
    }
    const deny = verdict.listed || verdict.score >= this.o.denyScore;
    res.writeHead(deny ? 403 : 200, { 'x-quorum-classification': verdict.classification, 'x-quorum-score': String(verdict.score), 'content-length': 0 });
    res.end();
  }
}
