import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
// The agents domain attaches the agent record it re-read; its kind tells Quorum agents from CrowdSec watchers.
import { AGENT_RECORD_KEY } from '../../agents/agent-jwt.authenticator.js';
import { DomainError } from '../errors/domain-error.js';
import { AUTH_METADATA } from './auth.decorator.js';
import { authenticatorKinds, refusal, type RequestFacts } from './authorization.js';
import { type AccessRule, isPermission, ruleOf } from './authorization-table.js';
import { AuthenticatorRegistry } from './authenticator.registry.js';
import { OrganizationResolverRegistry } from './organization-resolver.registry.js';
import { PRINCIPAL_KEY, type Principal } from './principal.js';
import { actsAcrossOrganizations, classOf } from './principal-class.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global guard: every route names its row of the authorization table with @Auth('<row>'); a route
 * without one is refused (and the boot check refuses to start). The guard authenticates with the
 * kinds the row accepts (401 when none yields a principal), then applies the row (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: AuthenticatorRegistry,
    private readonly resolvers: OrganizationResolverRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<unknown>(AUTH_METADATA, [context.getHandler(), context.getClass()]);
    if (!isPermission(permission)) throw DomainError.forbidden('This route is not open to any caller');
    const rule = ruleOf(permission);
    if (rule.allow === 'anyone' || rule.enforcedBy === 'route') return true;
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const principal = await this.authenticate(rule, request);
    if (!principal) throw DomainError.unauthorized('Missing or invalid credentials');
    const facts: RequestFacts = { params: (request.params ?? {}) as Record<string, string | undefined>, body: request.body };
    if (rule.organization && 'resource' in rule.organization && !actsAcrossOrganizations(classOf(principal))) {
      facts.resourceOrganizationId = await this.resourceOrganization(rule, facts);
    }
    const denied = refusal(rule, principal, facts);
    if (denied) throw denied;
    request[PRINCIPAL_KEY] = principal;
    return true;
  }

  private async authenticate(rule: AccessRule, request: Record<string, unknown>): Promise<Principal | null> {
    for (const kind of authenticatorKinds(rule)) {
      const principal = await this.registry.get(kind)?.authenticate(request);
      if (principal?.kind === 'agent') return { ...principal, agentKind: (request[AGENT_RECORD_KEY] as { kind?: string } | undefined)?.kind };
      if (principal) return principal;
    }
    return null;
  }

  private async resourceOrganization(rule: AccessRule, facts: RequestFacts): Promise<string | null> {
    if (!rule.organization || !('resource' in rule.organization)) return null;
    const id = facts.params[rule.organization.param];
    if (!id || !UUID.test(id)) return null;
    const resolver = this.resolvers.get(rule.organization.resource);
    if (!resolver) throw DomainError.unavailable(`No organisation resolver for ${rule.organization.resource}`);
    return resolver(id);
  }
}
