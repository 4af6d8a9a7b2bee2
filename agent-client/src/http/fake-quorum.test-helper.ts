import { createPublicKey, type KeyObject, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import { verifyBatch } from '../sign/batch-signature.js';

/** A canned answer the fake returns instead of handling the next matching request. */
export interface Injected {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

interface BlocklistChange {
  version: number;
  added: string[];
  removed: string[];
}

/**
 * A small in-process stand-in for the Quorum endpoints the agent uses. It checks what the real
 * service checks on the agent's side of the contract: login and batch signatures, nonce reuse,
 * bearer tokens; it stores signals by uuid so tests can count deliveries.
 */
export class FakeQuorum {
  readonly agents = new Map<string, KeyObject>();
  readonly signals = new Map<string, Record<string, unknown>>();
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];
  readonly inject: { push: Injected[]; blocklist: Injected[] } = { push: [], blocklist: [] };
  readonly tokens = new Set<string>();
  blocklist = new Map<string, string>();
  version = 1;
  oldestDelta = 1;
  rejectIp: string | null = null;
  /** Signals received again with a uuid already stored. */
  duplicateCount = 0;
  private readonly history: BlocklistChange[] = [];
  private readonly nonces = new Set<string>();
  private server: Server | null = null;
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => this.send(res, 500, { code: 'fake_error', message: e.message }));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Publishes a new version with these changes. */
  publish(added: Record<string, string>, removed: string[] = []): void {
    this.version++;
    for (const [v, until] of Object.entries(added)) this.blocklist.set(v, until);
    for (const v of removed) this.blocklist.delete(v);
    this.history.push({ version: this.version, added: Object.keys(added), removed });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers });
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /v1/agents') {
      const input = JSON.parse(body.toString()) as { public_key: string; name: string };
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(input.public_key, 'base64').toString('base64url') }, format: 'jwk' });
      const id = randomUUID();
      this.agents.set(id, key);
      return this.send(res, 201, { id, name: input.name, status: 'active' });
    }
    if (route === 'POST /v1/agents/login') {
      const c = JSON.parse(body.toString()) as { agent_id: string; sent_at: string; nonce: string; signature: string };
      const key = this.agents.get(c.agent_id);
      const message = Buffer.from(`quorum-login-v1\n${c.agent_id}\n${c.sent_at}\n${c.nonce}`);
      if (!key || !verify(null, message, key, Buffer.from(c.signature, 'base64'))) return this.send(res, 401, { code: 'invalid_signature', message: 'bad login' });
      const token = `${c.agent_id}.${randomUUID()}`;
      this.tokens.add(token);
      return this.send(res, 200, { token, token_type: 'Bearer', expires_at: new Date(Date.now() + 3_600_000).toISOString(), agent_id: c.agent_id });
    }
    const auth = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!this.tokens.has(auth)) return this.send(res, 401, { code: 'unauthorized', message: 'no token' });
    const agentId = auth.split('.')[0];
    if (route === 'POST /v1/signals') return this.signalsRoute(agentId, req, body, res);
    const injected = this.inject.blocklist.shift();
    if (injected) return this.send(res, injected.status, injected.body ?? '', injected.headers);
    if (route === 'GET /v1/blocklist') {
      const etag = `"v${this.version}"`;
      if (req.headers['if-none-match'] === etag) return this.send(res, 304, '');
      const entries = [...this.blocklist].map(([value, until]) => ({ value, scope: value.includes('/') ? 'range' : 'ip', scenario: 'ssh-bruteforce', until }));
      return this.send(res, 200, { version: this.version, generatedAt: new Date().toISOString(), count: entries.length, entries }, { etag });
    }
    if (route === 'GET /v1/blocklist/changes') {
      const since = Number(url.searchParams.get('since'));
      if (since < this.oldestDelta) return this.send(res, 410, { code: 'blocklist_cursor_expired', message: 'too old' });
      const etag = `"c${since}-${this.version}"`;
      if (req.headers['if-none-match'] === etag) return this.send(res, 304, '');
      const later = this.history.filter((h) => h.version > since);
      const added = new Set(later.flatMap((h) => h.added));
      const removed = new Set(later.flatMap((h) => h.removed));
      for (const v of [...added]) if (!this.blocklist.has(v)) added.delete(v);
      for (const v of [...removed]) if (this.blocklist.has(v)) removed.delete(v);
      const until = (v: string) => this.blocklist.get(v);
      return this.send(res, 200, { version: this.version, added: [...added].map((value) => ({ value, until: until(value) })), removed: [...removed].map((value) => ({ value })) }, { etag });
    }
    return this.send(res, 404, { code: 'not_found', message: route });
  }

  private signalsRoute(agentId: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const key = this.agents.get(agentId);
    const headers = {
      'x-quorum-sent-at': String(req.headers['x-quorum-sent-at'] ?? ''),
      'x-quorum-nonce': String(req.headers['x-quorum-nonce'] ?? ''),
      'x-quorum-signature': String(req.headers['x-quorum-signature'] ?? ''),
    };
    if (!key || !verifyBatch(agentId, key, body, headers)) return this.send(res, 401, { code: 'invalid_signature', message: 'bad batch signature' });
    if (this.nonces.has(headers['x-quorum-nonce'])) return this.send(res, 409, { code: 'replayed_nonce', message: 'nonce reused' });
    this.nonces.add(headers['x-quorum-nonce']);
    const injected = this.inject.push.shift();
    if (injected) return this.send(res, injected.status, injected.body ?? '', injected.headers);
    const batch = JSON.parse(body.toString()) as { signals: Record<string, unknown>[] };
    if (this.rejectIp && batch.signals.some((s) => s.ip === this.rejectIp)) return this.send(res, 400, { code: 'validation_failed', message: 'bad signal' });
    let accepted = 0;
    let duplicates = 0;
    for (const s of batch.signals) {
      const uuid = String(s.uuid);
      if (this.signals.has(uuid)) duplicates++;
      else {
        this.signals.set(uuid, s);
        accepted++;
      }
    }
    this.duplicateCount += duplicates;
    return this.send(res, 200, { accepted, duplicates, rejected: [] });
  }
}
