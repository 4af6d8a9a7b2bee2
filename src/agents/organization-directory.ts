import { Injectable, Module } from '@nestjs/common';
import { OrganizationDirectoryRepository } from './organization-directory.repository.js';

/** Organisations and agents as the operator dashboard lists them (table ownership: docs/architecture.md). */
@Injectable()
export class OrganizationDirectory {
  constructor(private readonly repository: OrganizationDirectoryRepository) {}

  /** Customer organisations not being erased, newest first, whose name contains `search` (any case). */
  customers(search: string | null, limit: number): Promise<Array<{ id: string; name: string; createdAt: Date }>> {
    return this.repository.customers(search, limit);
  }

  /** Agents allowed to report now. */
  activeAgentCount(): Promise<number> {
    return this.repository.activeAgents();
  }
}

@Module({ providers: [OrganizationDirectoryRepository, OrganizationDirectory], exports: [OrganizationDirectory] })
export class OrganizationDirectoryModule {}
