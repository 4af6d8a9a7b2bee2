import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error.js';
import { AUTH_METADATA, type AuthOptions } from './auth.decorator.js';
import { AuthenticatorRegistry } from './authenticator.registry.js';
import { PRINCIPAL_KEY, type Principal } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';

/** Global guard: routes are private unless @Public(); @Auth() names who may call and with which role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: AuthenticatorRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const options = this.reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_METADATA, targets);
    if (!options) throw DomainError.forbidden('This route is not open to any caller');
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    let principal: Principal | null = null;
    for (const kind of options.kinds) {
      const authenticator = this.registry.get(kind);
      if (!authenticator) continue;
      principal = await authenticator.authenticate(request);
      if (principal) break;
    }
    if (!principal) throw DomainError.unauthorized('Missing or invalid credentials');
    if (options.roles && (principal.kind !== 'operator' || !options.roles.includes(principal.role))) {
      throw DomainError.forbidden('Your role does not allow this action');
    }
    if (options.scopes && principal.kind === 'apiKey' && !options.scopes.some((s) => principal.scopes.includes(s))) {
      throw DomainError.forbidden(`This API key lacks the scope: ${options.scopes.join(' or ')}`);
    }
    request[PRINCIPAL_KEY] = principal;
    return true;
  }
}
