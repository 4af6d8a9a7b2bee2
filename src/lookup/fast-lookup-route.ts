import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
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
/** The row of the authorization table this route applies (the guard does not run on it). */
const LOOKUP_IP_RULE = ruleOf('lookup.ip');

/**
 * Marks the single-IP lookup route. The route stays declared, documented and authorised as a Nest
 * controller method, but its Fastify handler is replaced by `FastLookupRoute.handle`, which runs the
 * same steps without Nest's per-request router, guard and pipe machinery (on the first-packet path that
 * machinery costs more than the lookup itself): the guard's own RequestAuthorizer with the route's row,
 * LookupService, and the exception filter's sendError. Instance-wide Fastify hooks (request id,
 * metrics, access log) still run. Synchronous past authentication when the plan is cached and the
 * lease has room; the body is written by ipAnswerJson (docs/lookup.md "Hot path").
 */
export const FastLookup = (): MethodDecorator => RouteConfig({ [FAST_LOOKUP]: true });

interface IpParams {
  ip: string;
}

@Injectable()
export class FastLookupRoute {
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

  readonly handle = (request: FastifyRequest, reply: FastifyReply): Promise<unknown> =>
    this.authorizer.authorize(LOOKUP_IP_RULE, request as unknown as Record<string, unknown>).then(
      (principal) => {
        // The row admits API keys only; this narrows the type for LookupService.
        if (principal.kind !== 'apiKey') throw DomainError.forbidden();
        const result = this.lookups.ip(principal, (request.params as IpParams).ip);
        return result instanceof Promise ? result.then((answered) => this.send(reply, answered)) : this.send(reply, result);
      },
    ).catch((error: unknown) => {
      sendError(request, reply, error, this.logger);
      return reply;
    });

  /** The answer's JSON written by ipAnswerJson (the same bytes as JSON.stringify, without walking the object generically). */
  private send(reply: FastifyReply, result: Metered<IpAnswer>): string {
    reply.headers(limitHeaders(result.rate));
    reply.header('content-type', 'application/json; charset=utf-8');
    return ipAnswerJson(result.body);
  }
}
