import type { KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import type { Signal } from '../detect/signal.js';
import type { AgentLoginDto, AgentTokenDto, BlocklistEntryDto, EnrollAgentDto, IngestResultDto, SignalBatchDto } from '../generated/api-types.js';
import { publicKeyOf, publicKeyRawBase64 } from '../sign/agent-keys.js';
import { signBatch } from '../sign/batch-signature.js';
import { signLogin } from '../sign/login-signature.js';
import { isRecord } from '../util/json-check.js';
import { type FetchLike, httpRequest, type HttpResponse, jsonBody, retryAfterMs } from './http-request.js';

export interface QuorumApiOptions {
  baseUrl: string;
  timeoutMs: number;
  privateKey: KeyObject;
  agentId?: string;
  fetchImpl?: FetchLike;
  now?: () => number;
}

/** An answer the caller cannot use: status, the server's error code when it sent one, Retry-After. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

export type IngestResult = IngestResultDto;

export type PushOutcome =
  | { kind: 'ok'; result: IngestResult | null }
  /** Transient: network, 5xx, 429, 401 after a fresh login, 403 (revoked until an operator acts). */
  | { kind: 'retry'; status: number | null; retryAfterMs: number | null; reason: string }
  /** The server refuses this batch as such (400/413/422): retrying it unchanged cannot help. */
  | { kind: 'rejected'; status: number; reason: string };

export interface BlocklistItem {
  value: BlocklistEntryDto['value'];
  /** Expiry in ms since the epoch, when the server gave one. */
  until: number | null;
}

export type FullList = { kind: 'not_modified' } | { kind: 'ok'; version: number; items: BlocklistItem[]; etag: string | null };
export type Changes =
  | { kind: 'not_modified' }
  | { kind: 'stale' }
  | { kind: 'ok'; version: number; added: BlocklistItem[]; removed: string[]; etag: string | null };

const REJECTING = new Set([400, 413, 422]);

function errorOf(res: HttpResponse, what: string, now: number): ApiError {
  const body = jsonBody(res);
  const code = isRecord(body) && typeof body.code === 'string' ? body.code : null;
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : res.body.toString('utf8', 0, 200);
  return new ApiError(`${what}: HTTP ${res.status}${code ? ` ${code}` : ''}: ${message}`, res.status, code, retryAfterMs(res.headers, now));
}

function item(v: unknown): BlocklistItem | null {
  if (typeof v === 'string') return { value: v, until: null };
  if (!isRecord(v) || typeof v.value !== 'string') return null;
  const until = typeof v.until === 'string' ? Date.parse(v.until) : NaN;
  return { value: v.value, until: Number.isFinite(until) ? until : null };
}

function items(v: unknown): BlocklistItem[] | null {
  if (!Array.isArray(v)) return null;
  const out: BlocklistItem[] = [];
  for (const x of v) {
    const i = item(x);
    if (i) out.push(i);
  }
  return out;
}

/** The agent side of the Quorum API: enrollment, signed login, signed signal batches, blocklist pulls. */
export class QuorumApi {
  agentId: string | undefined;
  private token: { value: string; refreshAt: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly o: QuorumApiOptions) {
    this.agentId = o.agentId;
    this.now = o.now ?? Date.now;
  }

  private request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: Buffer): Promise<HttpResponse> {
    return httpRequest({ method, url: `${this.o.baseUrl}${path}`, headers, body, timeoutMs: this.o.timeoutMs }, this.o.fetchImpl);
  }

  /** `POST /v1/agents`: registers this agent's public key; returns the new agent's id. */
  async enroll(input: { name: string; enrollKey?: string; tags?: string[]; scenarios?: string[] }): Promise<{ id: string; agent: Record<string, unknown> }> {
    const body: EnrollAgentDto = {
      name: input.name,
      public_key: publicKeyRawBase64(publicKeyOf(this.o.privateKey)),
      ...(input.enrollKey ? { enroll_key: input.enrollKey } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.scenarios ? { scenarios: input.scenarios } : {}),
    };
    const res = await this.request('POST', '/v1/agents', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(body)));
    const json = jsonBody(res);
    if (res.status >= 300 || !isRecord(json) || typeof json.id !== 'string') throw errorOf(res, 'enroll', this.now());
    this.agentId = json.id;
    return { id: json.id, agent: json };
  }

  /** `POST /v1/agents/login` with a signed challenge; the token is reused until a minute before it expires. */
  async login(force = false): Promise<string> {
    if (!force && this.token && this.now() < this.token.refreshAt) return this.token.value;
    if (!this.agentId) throw new ApiError('login: the agent is not registered (no agent id)', 0, 'not_registered', null);
    const challenge: AgentLoginDto = signLogin(this.agentId, this.o.privateKey, this.now());
    const res = await this.request('POST', '/v1/agents/login', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(challenge)));
    const json = jsonBody(res);
    if (res.status !== 200 || !isRecord(json) || typeof json.token !== 'string') throw errorOf(res, 'login', this.now());
    const answer = json as Partial<AgentTokenDto> & Pick<AgentTokenDto, 'token'>;
    const expires = typeof answer.expires_at === 'string' ? Date.parse(answer.expires_at) : NaN;
    const refreshAt = Number.isFinite(expires) ? expires - 60_000 : this.now() + 5 * 60_000;
    this.token = { value: answer.token, refreshAt };
    return answer.token;
  }

  /** A request with the bearer token; a 401 triggers one fresh login and one retry. */
  private async authorized(method: 'GET' | 'POST', path: string, headers: () => Record<string, string>, body?: Buffer): Promise<HttpResponse> {
    let res = await this.request(method, path, { ...headers(), authorization: `Bearer ${await this.login()}` }, body);
    if (res.status === 401) res = await this.request(method, path, { ...headers(), authorization: `Bearer ${await this.login(true)}` }, body);
    return res;
  }

  /** `POST /v1/signals`: signs the raw JSON, then gzips it if asked; a fresh nonce on every attempt. */
  async pushSignals(signals: readonly Signal[], gzip: boolean): Promise<PushOutcome> {
    const agentId = this.agentId;
    if (!agentId) return { kind: 'retry', status: null, retryAfterMs: null, reason: 'not registered' };
    const batch: SignalBatchDto = { signals: [...signals] };
    const raw = Buffer.from(JSON.stringify(batch), 'utf8');
    const wire = gzip ? gzipSync(raw) : raw;
    let res: HttpResponse;
    try {
      res = await this.authorized('POST', '/v1/signals', () => ({
        'content-type': 'application/json',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        ...signBatch(agentId, this.o.privateKey, raw, this.now()),
      }), wire);
    } catch (e) {
      return { kind: 'retry', status: e instanceof ApiError ? e.status : null, retryAfterMs: e instanceof ApiError ? e.retryAfterMs : null, reason: (e as Error).message };
    }
    if (res.status >= 200 && res.status < 300) {
      const json = jsonBody(res);
      const ok = isRecord(json) && typeof json.accepted === 'number' && Array.isArray(json.rejected);
      return { kind: 'ok', result: ok ? (json as unknown as IngestResult) : null };
    }
    const err = errorOf(res, 'push', this.now());
    if (REJECTING.has(res.status)) return { kind: 'rejected', status: res.status, reason: err.message };
    return { kind: 'retry', status: res.status, retryAfterMs: err.retryAfterMs, reason: err.message };
  }

  /** `GET /v1/blocklist?format=F` as the server sends it (for `quorum-agent blocklist`). */
  async blocklistRaw(format: string): Promise<HttpResponse> {
    return this.authorized('GET', `/v1/blocklist?format=${encodeURIComponent(format)}`, () => ({}));
  }

  /** `GET /v1/blocklist?format=json`, conditional on the last ETag. */
  async fullBlocklist(etag: string | null): Promise<FullList> {
    const res = await this.authorized('GET', '/v1/blocklist?format=json', () => ({ accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) }));
    if (res.status === 304) return { kind: 'not_modified' };
    const json = jsonBody(res);
    const list = isRecord(json) ? items(json.entries) : null;
    if (res.status !== 200 || !isRecord(json) || typeof json.version !== 'number' || list === null) throw errorOf(res, 'blocklist', this.now());
    return { kind: 'ok', version: json.version, items: list, etag: res.headers.get('etag') };
  }

  /** `GET /v1/blocklist/changes?since=N`; "stale" (410) means a full download is needed. */
  async blocklistChanges(since: number, etag: string | null): Promise<Changes> {
    const res = await this.authorized('GET', `/v1/blocklist/changes?since=${since}`, () => ({ accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) }));
    if (res.status === 304) return { kind: 'not_modified' };
    if (res.status === 410) return { kind: 'stale' };
    const json = jsonBody(res);
    const added = isRecord(json) ? items(json.added) : null;
    const removed = isRecord(json) ? items(json.removed) : null;
    if (res.status !== 200 || !isRecord(json) || typeof json.version !== 'number' || added === null || removed === null) throw errorOf(res, 'blocklist changes', this.now());
    return { kind: 'ok', version: json.version, added, removed: removed.map((r) => r.value), etag: res.headers.get('etag') };
  }
}
