import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthenticatorRegistry } from './authenticator.registry.js';
import { AuthorizationTableCheck } from './authorization-table.check.js';
import { OrganizationResolverRegistry } from './organization-resolver.registry.js';
import { RequestAuthorizer } from './request-authorizer.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [AuthenticatorRegistry, OrganizationResolverRegistry, AuthorizationTableCheck, RequestAuthorizer],
  exports: [AuthenticatorRegistry, OrganizationResolverRegistry, RequestAuthorizer],
})
export class AuthModule {}
