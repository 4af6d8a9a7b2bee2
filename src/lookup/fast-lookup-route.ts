import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { FrontRoute } from '../app/front-door.js';
import { ruleOf } from '../common/auth/authorization-table.js';
import { RequestAuthorizer } from '../common/auth/request-authorizer.js';
import { DomainError } from '../common/errors/domain-error.js';
import { sendError } from '../common/errors/http-exception.filter.js';
import { InjectProcessRole, type ProcessRole } from '../common/process/process-role.js';
import { limitHeaders } from './limits/limit-headers.js';
import type { IpAnswer } from './answer/ip-answer.js';
import { ipAnswerJson } from './answer/ip-answer-json.js';
import { LookupService, type Metered } from './lookup.service.js';

const FAST_LOOKUP = 'quorumFastLookup';
const PREFIX = '/v1/ip/';
/** The longest IP literal the front door takes: a full IPv6 address with an embedded IPv4 (45 characters). */
const MAX_PATH = PREFIX.length + 45;
const JSON_TYPE = 'application/json; charset=utf-8';
/** The row of the authorization table this route applies (the guard does not run on it). */
const LOOKUP_IP_RULE = ruleOf('lookup.ip');

/**
 * Marks the single-IP lookup route. The route stays declared, documented and authorised as a Nest
 * controller method, but it is answered without Nest's per-request router, guard and pipe machinery
 * (on the first-packet path that machinery costs more than the lookup itself), by the same steps: the
 * guard's own RequestAuthorizer with the route's row, LookupService, and the service's one error answer
 * (errorAnswer, as the exception filter). Two entrances (docs/lookup.md "Hot path"):
 * - the front door (src/app/front-door.ts): `GET /v1/ip/<IP literal>` spelled plainly (address
 *   characters only, no query, no body) is answered at the HTTP server, before Fastify's routing and
 *   every instance-wide hook; the front door writes the request id, the latency histogram and the
 *   access log itself;
 * - Fastify: every other spelling (trailing slash, percent-encoding, a query string) reaches the route
 *   through the router and the instance hooks, and its handler is replaced by `handle`.
 * Synchronous past authentication when the plan is cached and the lease has room; the body is written
 * by ipAnswerJson.
 */
export const FastLookup = (): MethodDecorator => RouteConfig({ [FAST_LOOKUP]: true });

interface IpParams {
  ip: string;
}

@Injectable()
export class FastLookupRoute implements FrontRoute {
  readonly pattern = '/v1/ip/:ip';
  private readonly logger = new Logger('FastLookupRoute');

  constructor(
    @InjectProcessRole() role: ProcessRole,
    adapterHost: HttpAdapterHost,
    private readonly authorizer: RequestAuthorizer,
    private readonly lookups: LookupService,
  ) {
    if (role !== 'api') return;
    // Providers are built before Nest registers its routes, so the hook sees the lookup route go by.
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route: RouteOptions) => {
      if ((route.config as Record<string, unknown> | undefined)?.[FAST_LOOKUP] === true) route.handler = this.handle;
    });
  }

  /** Fastify entrance: the route's handler, refusals answered by the exception filter's sendError. */
  readonly handle = (request: FastifyRequest, reply: FastifyReply): Promise<unknown> =>
    this.lookup(request as unknown as Record<string, unknown>, (request.params as IpParams).ip, (result) => this.send(reply, result)).catch((error: unknown) => {
      sendError(request, reply, error, this.logger);
      return reply;
    });

  /** Front door: the IP when the request is `GET /v1/ip/<address characters>` with no query and no body. */
  match(request: IncomingMessage): string | null {
    const url = request.url;
    if (request.method !== 'GET' || url === undefined || url.length <= PREFIX.length || url.length > MAX_PATH || !url.startsWith(PREFIX)) return null;
    for (let i = PREFIX.length; i < url.length; i++) {
      if (!isAddressChar(url.charCodeAt(i))) return null;
    }
    const headers = request.headers;
    if (headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')) return null;
    return url.slice(PREFIX.length);
  }

  /** Front door entrance: the answer on the bare response; a refusal rejects, and the front door answers it. */
  answer(request: IncomingMessage, response: ServerResponse, ip: string, requestId: string): Promise<number> {
    return this.lookup({ headers: request.headers, params: { ip }, id: requestId }, ip, (result) => this.write(response, requestId, result));
  }

  /**
   * The route's steps, the same for both entrances: the row through the guard's RequestAuthorizer, then
   * LookupService (synchronous whenever the plan is cached and the lease has room), then `emit`.
   */
  private lookup<T>(request: Record<string, unknown>, ip: string, emit: (result: Metered<IpAnswer>) => T): Promise<T> {
    return this.authorizer.authorize(LOOKUP_IP_RULE, request).then((principal) => {
      // The row admits API keys only; this narrows the type for LookupService.
      if (principal.kind !== 'apiKey') throw DomainError.forbidden();
      const result = this.lookups.ip(principal, ip);
      return result instanceof Promise ? result.then(emit) : emit(result);
    });
  }

  /** The answer's JSON written by ipAnswerJson (the same bytes as JSON.stringify, without walking the object generically). */
  private send(reply: FastifyReply, result: Metered<IpAnswer>): string {
    reply.headers(limitHeaders(result.rate));
    reply.header('content-type', JSON_TYPE);
    return ipAnswerJson(result.body);
  }

  /** The same headers and body as `send`, written on the bare response in one writeHead + end. */
  private write(response: ServerResponse, requestId: string, result: Metered<IpAnswer>): number {
    const body = ipAnswerJson(result.body);
    const headers = limitHeaders(result.rate);
    headers['x-request-id'] = requestId;
    headers['content-type'] = JSON_TYPE;
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(200, headers);
    response.end(body);
    return 200;
  }
}

/** 0-9, a-f, A-F, '.' and ':': the characters of an IPv4 or IPv6 literal. */
function isAddressChar(c: number): boolean {
  return (c >= 48 && c <= 58) || c === 46 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
