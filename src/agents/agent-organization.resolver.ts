import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OrganizationResolverRegistry } from '../common/auth/organization-resolver.registry.js';
import { AgentsRepository } from './agents.repository.js';

/** Tells the authorization guard which organisation an agent belongs to (rows with `resource: 'agent'`). */
@Injectable()
export class AgentOrganizationResolver implements OnModuleInit {
  constructor(
    private readonly registry: OrganizationResolverRegistry,
    private readonly agents: AgentsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register('agent', async (id) => (await this.agents.findById(id))?.organizationId ?? null);
  }
}
