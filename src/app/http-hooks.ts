import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MetricsService } from '../infra/metrics/metrics.service.js';

/** Request id echo, latency histogram and access log (by route pattern: raw URLs may carry IPs). */
export function registerHttpHooks(fastify: FastifyInstance, metrics: MetricsService, logger: Logger): void {
  // While closing, answers to in-flight requests end their keep-alive connection, so the server
  // does not wait for clients' idle sockets after the last response.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    if (route === '/healthz' || route === '/metrics') return;
    logger.info(
      { requestId: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  });
}
