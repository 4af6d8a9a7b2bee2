import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AgentJwtAuthenticator } from './agent-jwt.authenticator.js';
import { AgentOrganizationResolver } from './agent-organization.resolver.js';
import { AgentTokensService } from './agent-tokens.service.js';
import { AgentsController } from './agents.controller.js';
import { AgentsRepository } from './agents.repository.js';
import { AgentsService } from './agents.service.js';
import { OrganizationsRepository } from './organizations.repository.js';
import { OrganizationsService } from './organizations.service.js';
import { ReporterIdentityService } from './reporter-identity.service.js';

@Module({
  imports: [JwtModule.register({})],
  controllers: [AgentsController],
  providers: [
    AgentsRepository,
    OrganizationsRepository,
    AgentsService,
    OrganizationsService,
    AgentTokensService,
    AgentJwtAuthenticator,
    AgentOrganizationResolver,
    ReporterIdentityService,
  ],
  exports: [AgentsService, OrganizationsService, ReporterIdentityService, AgentTokensService],
})
export class AgentsModule {}
