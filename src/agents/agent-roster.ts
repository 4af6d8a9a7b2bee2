import { Injectable, Module } from '@nestjs/common';
import type { AgentStatusName } from './agent.types.js';
import { AgentRosterRepository, type RosterRow } from './agent-roster.repository.js';
import { AgentsModule } from './agents.module.js';
import { ReporterIdentityService } from './reporter-identity.service.js';

export type RosterAgent = RosterRow & {
  /** The agent's reporter pseudonym in the scoring tables; null once its organisation's key is destroyed. */
  reporter: string | null;
};

/** Every organisation's agents with their reporter pseudonyms, for the operator console (docs/operators.md). */
@Injectable()
export class AgentRoster {
  constructor(
    private readonly repository: AgentRosterRepository,
    private readonly identities: ReporterIdentityService,
  ) {}

  async list(filter: { status?: AgentStatusName; search?: string }, limit: number): Promise<RosterAgent[]> {
    const rows = await this.repository.list(filter, limit);
    const byOrganization = new Map<string, RosterRow[]>();
    for (const row of rows) byOrganization.set(row.organizationId, [...(byOrganization.get(row.organizationId) ?? []), row]);
    const reporters = new Map<string, string>();
    for (const [organizationId, agents] of byOrganization) {
      const pseudonyms = await this.identities.pseudonymsForErasure(organizationId, agents.map((a) => a.id));
      if (pseudonyms) agents.forEach((a, i) => reporters.set(a.id, pseudonyms.reporters[i]));
    }
    return rows.map((row) => ({ ...row, reporter: reporters.get(row.id) ?? null }));
  }
}

@Module({ imports: [AgentsModule], providers: [AgentRosterRepository, AgentRoster], exports: [AgentRoster] })
export class AgentRosterModule {}
