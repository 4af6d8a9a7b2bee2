import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MetricsService } from '../infra/metrics/metrics.service.js';

/**
 * Request id echo, latency histogram and access log (by route pattern: raw URLs may carry IPs).
 * Every hook is callback-style: an async hook costs each request of every route a promise and a
 * microtask turn (docs/lookup.md "Hot path").
 */
export function registerHttpHooks(fastify: FastifyInstance, metrics: MetricsService, logger: Logger): void {
  // While closing, answers to in-flight requests end their keep-alive connection, so the server
  // does not wait for clients' idle sockets after the last response.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    recordRequest(metrics, logger, String(request.id), request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    done();
  });
}

/**
 * One answered request: the latency histogram by route pattern and status, and the access-log line
 * (not for /healthz and /metrics). Written by the onResponse hook and by the front door
 * (src/app/front-door.ts) for the requests it answers before Fastify.
 */
export function recordRequest(metrics: MetricsService, logger: Logger, requestId: string, method: string, route: string, status: number, ms: number): void {
  metrics.httpDuration.observe({ method, route, status: String(status) }, ms / 1000);
  if (route !== '/healthz' && route !== '/metrics' && logger.isLevelEnabled('info')) {
    logger.info({ requestId, method, route, status, ms: Math.round(ms * 100) / 100 }, 'request');
  }
}
