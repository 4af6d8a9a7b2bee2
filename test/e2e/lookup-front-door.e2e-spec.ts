import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { MetricsService } from '../../src/infra/metrics/metrics.service.js';
import { FastLookupRoute } from '../../src/lookup/fast-lookup-route.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { seedScores } from '../support/lookup-fixtures.js';
import { waitFor } from '../support/waits.js';

// Addresses used only by this file.
const NET = '45.86.19';
const V6 = '2a01:4f8:91:7';
const ROUTE = '/v1/ip/:ip';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Headers that differ between two answers for reasons other than the path taken. */
const VOLATILE = new Set(['date', 'x-request-id', 'ratelimit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-length']);

function comparable(answer: Answer): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !VOLATILE.has(name)));
  const { requestId: _id, ...body } = answer.body;
  return { status: answer.status, headers, body };
}

/**
 * The front door (docs/lookup.md "Hot path"): `GET /v1/ip/<IP>` spelled plainly is answered at the HTTP
 * server before Fastify, every other request goes through Fastify; both give the same answers.
 */
describe('lookup front door: the first-packet lookup answered before Fastify, the same as through it', () => {
  let t: TestApp & { url: string };
  let app: NestFastifyApplication;
  let key: string;
  let answered: jest.SpyInstance;

  beforeAll(async () => {
    t = await listenTestApp({ QUORUM_LOOKUP_POLL_MS: '200' });
    app = t.app;
    await waitFor('the lookup index', 30_000, () => app.get(LookupIndexService).ready);
    await seedScores(app, t.config.database.url, [
      [`${NET}.1`, 7, true, ['crowdsecurity/ssh-bf']],
      [`${NET}.2`, 2, false, ['crowdsecurity/http-probing']],
      [`${V6}::/64`, 6, true, ['crowdsecurity/mail-bf']],
    ]);
    const org = (await app.get(OrganizationsService).create(`front-door-${Date.now()}`)).id;
    await app.get(LookupPlansService).setOrganizationPlan(org, 'pro');
    key = (await app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test')).key;
    answered = jest.spyOn(app.get(FastLookupRoute), 'answer');
  });

  afterAll(async () => {
    answered?.mockRestore();
    await t?.close();
  });

  async function overSocket(path: string, headers: Record<string, string> = { 'x-api-key': key }, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(`${t.url}${path}`, { headers, ...init });
    const text = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  /** A GET carrying a JSON body (fetch refuses to send one): the status. */
  function getWithBody(path: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${t.url}${path}`, { method: 'GET', headers: { 'x-api-key': key, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The same request through Fastify, over the same socket: a trailing slash is a spelling the front door leaves to it. */
  async function throughFastify(path: string, headers: Record<string, string> = { 'x-api-key': key }): Promise<Answer> {
    const calls = answered.mock.calls.length;
    const routed = await overSocket(`${path}/`, headers);
    expect(answered.mock.calls.length).toBe(calls);
    return routed;
  }

  it('answers plainly spelled lookups itself, with the same status, headers and body as Fastify', async () => {
    for (const ip of [`${NET}.1`, `${NET}.2`, `${NET}.200`, `${V6}::1`, '::ffff:45.86.19.1', '10.1.2.3', '192.0.2.7']) {
      const calls = answered.mock.calls.length;
      const front = await overSocket(`/v1/ip/${ip}`);
      expect(answered.mock.calls.length).toBe(calls + 1);
      const routed = await throughFastify(`/v1/ip/${ip}`);
      expect(front.status).toBe(200);
      expect(comparable(front)).toEqual(comparable(routed));
      expect(front.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(front.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(front.body)));
    }
    expect((await overSocket(`/v1/ip/${NET}.1`)).body).toEqual(expect.objectContaining({ classification: 'malicious', listed: true }));
  });

  it('answers refusals with the service error body, the same as Fastify', async () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      [`/v1/ip/${NET}.1`, {}, 401, 'unauthorized'],
      [`/v1/ip/${NET}.1`, { 'x-api-key': 'qk_nope_nope' }, 401, 'invalid_api_key'],
      ['/v1/ip/1.2.3', { 'x-api-key': key }, 400, 'invalid_ip'],
      ['/v1/ip/abc', { 'x-api-key': key }, 400, 'invalid_ip'],
    ];
    for (const [path, headers, status, code] of cases) {
      const calls = answered.mock.calls.length;
      const front = await overSocket(path, headers);
      expect(answered.mock.calls.length).toBe(calls + 1);
      expect(front.status).toBe(status);
      expect(front.body).toEqual(expect.objectContaining({ statusCode: status, code, requestId: front.headers['x-request-id'] }));
      expect(typeof front.body.message).toBe('string');
      expect(comparable(front)).toEqual(comparable(await throughFastify(path, headers)));
    }
  });

  it('leaves every other spelling, method and request with a query or a body to Fastify, which answers the same', async () => {
    const plain = comparable(await overSocket(`/v1/ip/${NET}.1`));
    const calls = answered.mock.calls.length;
    for (const path of [`/v1/ip/${NET}.1/`, `/v1/ip//${NET}.1`, `/v1/ip/${NET}.1?fields=all`, `/v1/ip/${V6}%3A%3A1`]) {
      const res = await overSocket(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect(comparable(await overSocket(`/v1/ip/${NET}.1/`))).toEqual(plain);
    expect((await overSocket(`/v1/ip/${NET}.1?x=%00`)).body).toEqual(expect.objectContaining({ code: 'invalid_characters' }));
    expect((await overSocket(`/v1/ip/${NET}.1`, { 'x-api-key': key }, { method: 'HEAD' })).status).toBe(200);
    expect((await overSocket('/v1/ip/bulk')).status).toBe(400);
    expect(await getWithBody(`/v1/ip/${NET}.1`, '{}')).toBe(200);
    // the front door took none of these
    expect(answered.mock.calls.length).toBe(calls);
  });

  it('honours a sane incoming request id and records the latency histogram under the route pattern', async () => {
    const observed = async (): Promise<number> => {
      const metric = await app.get(MetricsService).httpDuration.get();
      return metric.values
        .filter((v) => v.metricName?.endsWith('_count') && v.labels.route === ROUTE && v.labels.status === '200')
        .reduce((sum, v) => sum + v.value, 0);
    };
    const before = await observed();
    const front = await overSocket(`/v1/ip/${NET}.2`, { 'x-api-key': key, 'x-request-id': 'trace-42.a:b' });
    expect(front.headers['x-request-id']).toBe('trace-42.a:b');
    expect(front.body.requestId).toBeUndefined();
    const refused = await overSocket(`/v1/ip/${NET}.2`, { 'x-request-id': 'trace-43' });
    expect(refused.body.requestId).toBe('trace-43');
    expect(await observed()).toBe(before + 1);
  });
});
