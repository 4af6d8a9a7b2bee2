import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { authenticatorKinds, refusal, type RequestFacts } from './authorization.js';
import type { AccessRule } from './authorization-table.js';
import { AuthenticatorRegistry } from './authenticator.registry.js';
import { OrganizationResolverRegistry } from './organization-resolver.registry.js';
import { PRINCIPAL_KEY, type Principal } from './principal.js';
import { actsAcrossOrganizations, classOf } from './principal-class.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies one row of the authorization table to a request: authenticates with the kinds the row accepts
 * (401 when none yields a principal), resolves the organisation of the resource when the row says so,
 * applies the row (403), and attaches the principal to the request (`@CurrentPrincipal()`). The one
 * security path: the global guard runs it for Nest routes, the fast lookup route
 * (src/lookup/fast-lookup-route.ts) for its own.
 */
@Injectable()
export class RequestAuthorizer {
  constructor(
    private readonly registry: AuthenticatorRegistry,
    private readonly resolvers: OrganizationResolverRegistry,
  ) {}

  async authorize(rule: AccessRule, request: Record<string, unknown>): Promise<Principal> {
    const principal = await this.authenticate(rule, request);
    if (!principal) throw DomainError.unauthorized('Missing or invalid credentials');
    const facts: RequestFacts = { params: (request.params ?? {}) as Record<string, string | undefined>, body: request.body };
    if (rule.organization && 'resource' in rule.organization && !actsAcrossOrganizations(classOf(principal))) {
      facts.resourceOrganizationId = await this.resourceOrganization(rule, facts);
    }
    const denied = refusal(rule, principal, facts);
    if (denied) throw denied;
    request[PRINCIPAL_KEY] = principal;
    return principal;
  }

  private async authenticate(rule: AccessRule, request: Record<string, unknown>): Promise<Principal | null> {
    for (const kind of authenticatorKinds(rule)) {
      const principal = await this.registry.get(kind)?.authenticate(request);
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
