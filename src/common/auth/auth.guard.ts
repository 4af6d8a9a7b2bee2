import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error.js';
import { AUTH_METADATA } from './auth.decorator.js';
import { isPermission, ruleOf } from './authorization-table.js';
import { RequestAuthorizer } from './request-authorizer.js';

/**
 * Global guard: every route names its row of the authorization table with @Auth('<row>'); a route
 * without one is refused (and the boot check refuses to start). Rows the route does not enforce
 * itself are applied by RequestAuthorizer (401 without an accepted credential, 403 when the row refuses).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: RequestAuthorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<unknown>(AUTH_METADATA, [context.getHandler(), context.getClass()]);
    if (!isPermission(permission)) throw DomainError.forbidden('This route is not open to any caller');
    const rule = ruleOf(permission);
    if (rule.allow === 'anyone' || rule.enforcedBy === 'route') return true;
    await this.authorizer.authorize(rule, context.switchToHttp().getRequest<Record<string, unknown>>());
    return true;
  }
}
