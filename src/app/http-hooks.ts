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
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    if (route !== '/healthz' && route !== '/metrics' && logger.isLevelEnabled('info')) {
      logger.info(
        { requestId: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
        'request',
      );
    }
    done();
  });
}
