import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { refusal } from '../common/auth/authorization.js';
import { ruleOf } from '../common/auth/authorization-table.js';
import { DomainError } from '../common/errors/domain-error.js';
import { type ErrorBody, mapError } from '../common/errors/error-body.js';
import { InjectProcessRole, type ProcessRole } from '../common/process/process-role.js';
import { ApiKeyAuthenticator } from './keys/api-key.authenticator.js';
import { limitHeaders } from './limits/limit-headers.js';
import { LookupService } from './lookup.service.js';

const FAST_LOOKUP = 'quorumFastLookup';
/** The row of the authorization table this route applies itself (the guard does not run on it). */
const LOOKUP_IP_RULE = ruleOf('lookup.ip');

/**
 * Marks the single-IP lookup route. The route stays declared, documented and authorised as a Nest
 * controller method, but its Fastify handler is replaced by `FastLookupRoute.handle`, which runs the
 * same steps (x-api-key authenticator, `lookup` scope, LookupService, the standard error body) without
 * Nest's per-request router, guard and pipe machinery: on the first-packet path that machinery costs
 * more than the lookup itself. Instance-wide Fastify hooks (request id, metrics, access log) still run.
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
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly lookups: LookupService,
  ) {
    if (role !== 'api') return;
    // Providers are built before Nest registers its routes, so the hook sees the lookup route go by.
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route: RouteOptions) => {
      if ((route.config as Record<string, unknown> | undefined)?.[FAST_LOOKUP] === true) route.handler = this.handle;
    });
  }

  readonly handle = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    try {
      const principal = await this.authenticator.authenticate(request as never);
      if (!principal) throw DomainError.unauthorized('Missing or invalid credentials');
      const denied = refusal(LOOKUP_IP_RULE, principal, { params: {}, body: undefined });
      if (denied) throw denied;
      if (principal.kind !== 'apiKey') throw DomainError.forbidden();
      const result = await this.lookups.ip(principal, (request.params as IpParams).ip);
      reply.headers(limitHeaders(result.rate));
      return result.body;
    } catch (error) {
      return this.fail(request, reply, error);
    }
  };

  /** The global exception filter's answer, for this route. */
  private fail(request: FastifyRequest, reply: FastifyReply, error: unknown): ErrorBody {
    const mapped = mapError(error);
    if (mapped.status >= 500) this.logger.error({ err: error, requestId: request.id }, 'unhandled error');
    for (const [name, value] of Object.entries(mapped.headers ?? {})) reply.header(name, value);
    const body: ErrorBody = { statusCode: mapped.status, code: mapped.code, message: mapped.message, requestId: String(request.id) };
    if (mapped.details !== undefined) body.details = mapped.details;
    reply.code(mapped.status);
    return body;
  }
}
