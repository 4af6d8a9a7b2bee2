import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Logger as NestLogger } from '@nestjs/common';
import type { FastifyServerFactoryHandler } from 'fastify';
import { errorAnswer } from '../common/errors/http-exception.filter.js';
import type { Logger } from 'pino';
import { genRequestId } from '../common/http/request-id.js';
import type { MetricsService } from '../infra/metrics/metrics.service.js';

/**
 * A route answered at the HTTP server itself, before Fastify and Nest see the request. It takes only
 * the requests it recognises exactly (`match`); anything else, including every unusual spelling of
 * its own path, goes on to Fastify, where the same route is still declared, authorised and documented.
 */
export interface FrontRoute {
  /** The route's pattern, as metrics and the access log name it (`/v1/ip/:ip`). */
  readonly pattern: string;
  /** The path parameter when this request is one the route answers itself, otherwise null. */
  match(request: IncomingMessage): string | null;
  /** Writes the whole answer (errors included); returns or resolves to the status it sent. */
  answer(request: IncomingMessage, response: ServerResponse, param: string, requestId: string): number | Promise<number>;
}

/** Fastify's HTTP server options that its own server factory applies (fastify/lib/server.js). */
interface ServerOptions {
  http?: Record<string, unknown>;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/**
 * The HTTP server under Fastify (its `serverFactory`), with a front door for the first-packet lookup
 * (docs/lookup.md "Hot path"): a request the front route recognises is answered by it directly, with
 * the service's request id, latency histogram and access log; every other request goes to Fastify
 * unchanged. Until a route is opened, and from the moment the app starts closing, everything goes to
 * Fastify (which answers 503 while closing).
 */
export class FrontDoor {
  private route: FrontRoute | null = null;
  private metrics: MetricsService | null = null;
  private logger: Logger | null = null;
  private readonly errors = new NestLogger('FrontDoor');

  readonly serverFactory = (fastify: FastifyServerFactoryHandler, options: ServerOptions): Server => {
    const server = createServer(options.http ?? {}, (request, response) => {
      const route = this.route;
      const param = route === null ? null : route.match(request);
      if (param === null || route === null) {
        fastify(request, response);
        return;
      }
      this.serve(route, request, response, param);
    });
    // what Fastify's own factory sets on the servers it creates
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  /** Lets `route` answer the requests it recognises, recorded in `metrics` and logged on `logger`. */
  open(route: FrontRoute, metrics: MetricsService, logger: Logger): void {
    this.metrics = metrics;
    this.logger = logger;
    this.route = route;
  }

  /** From now on every request goes to Fastify (called when the app starts closing). */
  shut(): void {
    this.route = null;
  }

  private serve(route: FrontRoute, request: IncomingMessage, response: ServerResponse, param: string): void {
    const started = performance.now();
    const requestId = genRequestId(request);
    let status: number | Promise<number>;
    try {
      status = route.answer(request, response, param, requestId);
    } catch (error) {
      status = this.failed(response, requestId, error);
    }
    if (typeof status === 'number') this.record(route, request, requestId, status, started);
    else {
      status.then(
        (sent) => this.record(route, request, requestId, sent, started),
        (error: unknown) => this.record(route, request, requestId, this.failed(response, requestId, error), started),
      );
    }
  }

  /** A route that threw instead of answering: the service's error answer, if nothing was written yet. */
  private failed(response: ServerResponse, requestId: string, error: unknown): number {
    const answer = errorAnswer(error, false, requestId, this.errors);
    if (response.headersSent) return response.statusCode;
    const body = JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      ...answer.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId,
    });
    response.end(body);
    return answer.status;
  }

  /** The same histogram observation and access-log line as the Fastify hooks write (src/app/http-hooks.ts). */
  private record(route: FrontRoute, request: IncomingMessage, requestId: string, status: number, started: number): void {
    const ms = performance.now() - started;
    this.metrics?.httpDuration.observe({ method: 'GET', route: route.pattern, status: String(status) }, ms / 1000);
    const logger = this.logger;
    if (logger !== null && logger.isLevelEnabled('info')) {
      logger.info({ requestId, method: request.method, route: route.pattern, status, ms: Math.round(ms * 100) / 100 }, 'request');
    }
  }
}
