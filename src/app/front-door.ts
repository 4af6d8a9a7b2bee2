import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Logger as NestLogger } from '@nestjs/common';
import type { FastifyServerFactoryHandler } from 'fastify';
import { errorAnswer } from '../common/errors/http-exception.filter.js';
import type { Logger } from 'pino';
import { genRequestId } from '../common/http/request-id.js';
import { recordRequest } from './http-hooks.js';
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
  /**
   * Writes the success answer and returns or resolves to its status; a refusal or failure is thrown
   * (or rejected) and the front door answers it with the service's error answer.
   */
  answer(request: IncomingMessage, response: ServerResponse, param: string, requestId: string): number | Promise<number>;
}

/** What an opened front door serves with. */
interface Opened {
  route: FrontRoute;
  metrics: MetricsService;
  logger: Logger;
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
 * the service's request id, error answer, latency histogram and access log; every other request goes to Fastify
 * unchanged. Until a route is opened, and from the moment the app starts closing, everything goes to
 * Fastify (which answers 503 while closing).
 */
export class FrontDoor {
  private opened: Opened | null = null;
  private readonly errors = new NestLogger('FrontDoor');

  readonly serverFactory = (fastify: FastifyServerFactoryHandler, options: ServerOptions): Server => {
    const server = createServer(options.http ?? {}, (request, response) => {
      const opened = this.opened;
      const param = opened === null ? null : opened.route.match(request);
      if (param === null || opened === null) {
        fastify(request, response);
        return;
      }
      this.serve(opened, request, response, param);
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
    this.opened = { route, metrics, logger };
  }

  /** From now on every request goes to Fastify (called when the app starts closing). */
  shut(): void {
    this.opened = null;
  }

  private serve(opened: Opened, request: IncomingMessage, response: ServerResponse, param: string): void {
    const started = performance.now();
    const requestId = genRequestId(request);
    const done = (status: number): void =>
      recordRequest(opened.metrics, opened.logger, requestId, 'GET', opened.route.pattern, status, performance.now() - started);
    let status: number | Promise<number>;
    try {
      status = opened.route.answer(request, response, param, requestId);
    } catch (error) {
      status = this.refuse(response, requestId, error);
    }
    if (typeof status === 'number') done(status);
    else status.then(done, (error: unknown) => done(this.refuse(response, requestId, error)));
  }

  /** The service's error answer for what the route threw (errorAnswer, as the exception filter), if nothing was written yet. */
  private refuse(response: ServerResponse, requestId: string, error: unknown): number {
    const answer = errorAnswer(error, false, requestId, this.errors);
    if (response.headersSent) return response.statusCode;
    const body = JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      ...answer.headers,
      'x-request-id': requestId,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
    return answer.status;
  }
}
