import { readJson } from '../support/http.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';

describe('booting with PostgreSQL and Redis unreachable', () => {
  let t: TestApp & { url: string };

  beforeAll(async () => {
    // Nothing listens on port 9 (discard) on loopback.
    t = await listenTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/quorum_test', REDIS_URL: 'redis://127.0.0.1:9/15' });
  });
  afterAll(async () => {
    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stays up: liveness answers', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('readiness is 503 and names each dependency that is down', async () => {
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(503);
    const body = await readJson(res);
    expect(body.status).toBe('not_ready');
    expect(body.checks.postgres.status).toBe('down');
    expect(body.checks.redis.status).toBe('down');
    expect(body.checks.queues.status).toBe('down');
  });

  it('answers requests needing a dependency with a clean 503, not a crash', async () => {
    const res = await fetch(`${t.url}/v1/agents/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_id: '00000000-0000-4000-8000-000000000000', password: 'x' }),
    });
    expect(res.status).toBe(503);
    expect((await readJson(res)).code).toBe('service_unavailable');
  });
});
