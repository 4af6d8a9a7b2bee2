import { gzipSync } from 'node:zlib';
import { readJson } from '../support/http.js';
import { ProbeModule } from '../support/probe.module.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

describe('HTTP policies (real Fastify stack on a socket)', () => {
  let t: TestApp & { url: string };

  beforeAll(async () => {
    t = await listenTestApp({ QUORUM_BODY_LIMIT_BYTES: '4096' }, { extraModules: [ProbeModule] });
  });
  afterAll(async () => t.close());

  const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${t.url}/test-probe`, { method: 'POST', body, headers });

  function expectErrorBody(body: Record<string, unknown>, status: number, code: string): void {
    expect(body).toEqual(expect.objectContaining({ statusCode: status, code, requestId: expect.any(String) }));
    expect(typeof body.message).toBe('string');
  }

  it('answers /healthz and echoes a generated request id', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('honours an incoming x-request-id and puts it in error bodies', async () => {
    const res = await fetch(`${t.url}/nope`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const body = await readJson(res);
    expectErrorBody(body, 404, 'route_not_found');
    expect(body.requestId).toBe('abc-123');
  });

  it('tolerates trailing slashes and bare query strings', async () => {
    expect((await fetch(`${t.url}/healthz/`)).status).toBe(200);
    expect((await fetch(`${t.url}/healthz?`)).status).toBe(200);
  });

  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ count: 2, item: { name: 'x' } }));
    expect(res.status).toBe(201);
    expect(await readJson(res)).toEqual({ received: { count: 2, item: { name: 'x' } } });
  });

  it('rejects malformed JSON with 400 malformed_json', async () => {
    const res = await post('{"count": 2,');
    expect(res.status).toBe(400);
    expectErrorBody(await readJson(res), 400, 'malformed_json');
  });

  it('rejects a wrong content type with 415', async () => {
    const res = await post('count=2', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expectErrorBody(await readJson(res), 415, 'unsupported_media_type');
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await post(JSON.stringify({ count: 1, item: { name: 'x'.repeat(10_000) } }));
    expect(res.status).toBe(413);
    expectErrorBody(await readJson(res), 413, 'payload_too_large');
  });

  it('rejects unknown and invalid fields with 400 and a per-field message', async () => {
    const res = await post(JSON.stringify({ count: 99, extra: true, item: { name: 'x', deep: 1 } }));
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expectErrorBody(body, 400, 'validation_failed');
    const fields = (body.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['count', 'extra', 'item.deep']);
    expect(body.message).toContain('unknown field "extra"');
  });

  it('accepts gzip request bodies', async () => {
    const res = await post(gzipSync(JSON.stringify({ count: 3, item: { name: 'gz' } })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toEqual({ received: { count: 3, item: { name: 'gz' } } });
  });

  it('applies the body limit to the decompressed size (gzip bomb)', async () => {
    const bomb = gzipSync(JSON.stringify({ count: 1, item: { name: 'a'.repeat(1_000_000) } }));
    expect(bomb.length).toBeLessThan(4096);
    const res = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('rejects a corrupt gzip body with 400 and an unknown encoding with 415', async () => {
    const corrupt = await post(Buffer.from('not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expectErrorBody(await readJson(corrupt), 400, 'malformed_body');
    const unknown = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'zstd' });
    expect(unknown.status).toBe(415);
    expectErrorBody(await readJson(unknown), 415, 'unsupported_content_encoding');
  });

  it('exposes Prometheus metrics with the HTTP latency histogram by route and status', async () => {
    await fetch(`${t.url}/healthz`);
    const res = await fetch(`${t.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/quorum_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
    expect(text).toContain('quorum_process_cpu_seconds_total');
    expect(text).toMatch(/quorum_queue_jobs\{queue="maintenance",state="waiting"\}/);
  });

  it('reports readiness of PostgreSQL, Redis and the queues (ready once the lookup index is loaded)', async () => {
    const res = await waitFor('readiness', 20_000, async () => {
      const answer = await fetch(`${t.url}/readyz`);
      return answer.status === 200 ? answer : null;
    }, 200);
    const body = await readJson(res);
    expect(res.status).toBe(200);
    expect(body.checks).toEqual(
      expect.objectContaining({ postgres: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up' } }),
    );
  }, 30_000);
});
