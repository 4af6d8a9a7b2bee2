import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthenticatorRegistry } from './authenticator.registry.js';
import { AuthorizationTableCheck } from './authorization-table.check.js';
import { OrganizationResolverRegistry } from './organization-resolver.registry.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [AuthenticatorRegistry, OrganizationResolverRegistry, AuthorizationTableCheck],
  exports: [AuthenticatorRegistry, OrganizationResolverRegistry],
})
export class AuthModule {}
