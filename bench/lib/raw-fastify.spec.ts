import { runLoad } from './measure.js';
import { routeFromEnv, routeToEnv, startRawFastify, type FixedRoute } from './raw-fastify.js';

const route: FixedRoute = {
  method: 'GET',
  path: '/healthz',
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: Buffer.from('{"status":"ok"}'),
};

describe('raw Fastify baseline', () => {
  it('answers the configured status, content type and exact bytes', async () => {
    const server = await startRawFastify({ route });
    try {
      const response = await fetch(`${server.baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(route.contentType);
      expect(Buffer.from(await response.arrayBuffer()).equals(route.body)).toBe(true);
      expect((await fetch(`${server.baseUrl}/other`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('passes its route to a child process through the environment', () => {
    const binary = { ...route, status: 418, body: Buffer.from([0, 255, 10, 13]) };
    expect(routeFromEnv(routeToEnv(binary))).toEqual(binary);
    expect(() => routeFromEnv({ ...routeToEnv(route), BENCH_RAW_METHOD: 'TRACE' })).toThrow(/unsupported method/);
    expect(() => routeFromEnv({})).toThrow(/BENCH_RAW_METHOD is not set/);
  });
});

describe('runLoad', () => {
  it('counts answers and records the latency of each 2xx one', async () => {
    const ok = await startRawFastify({ route });
    const teapot = await startRawFastify({ route: { ...route, status: 418 } });
    try {
      const good = await runLoad(ok.baseUrl, { method: 'GET', path: '/healthz' }, { connections: 2, durationSec: 0.3 });
      expect(good.responses).toBeGreaterThan(10);
      expect(good.ok).toBe(good.responses);
      expect(good.latencies.count).toBe(good.ok);
      expect(good.latencies.percentile(50)).toBeGreaterThan(0);
      expect(good.okBytes / good.ok).toBeGreaterThan(route.body.length);
      expect(good.errors).toBe(0);

      const bad = await runLoad(teapot.baseUrl, { method: 'GET', path: '/healthz' }, { connections: 1, durationSec: 0.3 });
      expect(bad.responses).toBeGreaterThan(0);
      expect(bad.non2xx).toBe(bad.responses);
      expect(bad.latencies.count).toBe(0);
    } finally {
      await ok.stop();
      await teapot.stop();
    }
  });
});
