import { Injectable, Module } from '@nestjs/common';
import { type DirectoryKind, type DirectoryOrganization, OrganizationDirectoryRepository } from './organization-directory.repository.js';

/** Organisations and agents as the operator dashboard lists them (table ownership: docs/architecture.md). */
@Injectable()
export class OrganizationDirectory {
  constructor(private readonly repository: OrganizationDirectoryRepository) {}

  /** Organisations of one kind not being erased, newest first, whose name contains `search` (any case). */
  organizations(kind: DirectoryKind, search: string | null, limit: number): Promise<DirectoryOrganization[]> {
    return this.repository.organizations(kind, search, limit);
  }

  /** Names of live organisations by id (erased ones are absent). */
  namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    return ids.length === 0 ? Promise.resolve(new Map()) : this.repository.namesOf(ids);
  }

  /** Agents allowed to report now. */
  activeAgentCount(): Promise<number> {
    return this.repository.activeAgents();
  }
}

@Module({ providers: [OrganizationDirectoryRepository, OrganizationDirectory], exports: [OrganizationDirectory] })
export class OrganizationDirectoryModule {}
