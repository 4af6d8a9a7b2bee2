import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ruleOf } from './authorization-table.js';
import { OrganizationResolverRegistry } from './organization-resolver.registry.js';
import { routeAuthorizations } from './route-authorizations.js';

export class AuthorizationTableError extends Error {}

/** Fails the boot when a route names no row of the authorization table, or a row's resource has no resolver. */
@Injectable()
export class AuthorizationTableCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuthorizationTable');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly resolvers: OrganizationResolverRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const routes = routeAuthorizations(this.discovery, this.scanner, this.reflector);
    const problems: string[] = [];
    for (const route of routes) {
      if (!route.permission) {
        problems.push(`${route.method} ${route.paths.join(' | ')} (${route.controller}.${route.handler}) names no row`);
        continue;
      }
      const organization = ruleOf(route.permission).organization;
      if (organization && 'resource' in organization && !this.resolvers.get(organization.resource)) {
        problems.push(`row ${route.permission} needs an organisation resolver for "${organization.resource}"`);
      }
    }
    if (problems.length > 0) throw new AuthorizationTableError(`Authorization table incomplete: ${problems.join('; ')}`);
    this.logger.log(`${routes.length} routes authorised by the table`);
  }
}
