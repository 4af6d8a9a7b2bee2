import { Injectable, Logger } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service.js';
import { ReporterIdentityService } from '../../agents/reporter-identity.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import type { ConsensusEngine } from '../scoring/engine.js';
import { type ReleaseRecord, QuarantineReleaseRepository } from './quarantine-release.repository.js';

/**
 * An operator's release of an agent from the scoring engine's quarantine (docs/operators.md,
 * "Community"). The engine lives in the scoring worker, another process: the release is persisted on
 * the reporter row, the next scoring run (whichever worker holds the scoring lock) applies it and marks
 * it applied, and an engine rebuilt or restored from a snapshot applies again the releases made after
 * its snapshot.
 */
@Injectable()
export class QuarantineReleases {
  private readonly logger = new Logger('QuarantineReleases');

  constructor(
    private readonly repository: QuarantineReleaseRepository,
    private readonly agents: AgentsService,
    private readonly identities: ReporterIdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Requests the release of the agent's reporter (audited as agent.quarantine_release_requested). */
  async request(agentId: string, operatorId: string, reason: string): Promise<ReleaseRecord> {
    const agent = await this.agents.findById(agentId);
    if (!agent) throw DomainError.notFound('Agent not found');
    const reporter = await this.identities.pseudonymsForErasure(agent.organizationId, [agent.id]);
    if (!reporter) throw DomainError.conflict('This agent\'s organisation was erased: it has no reporter to release');
    const record = await this.repository.request(reporter.reporters[0], `operator:${operatorId}`, reason, this.clock.now());
    if (!record) throw DomainError.conflict('This agent is not quarantined by the scoring engine');
    await this.audit.record(`operator:${operatorId}`, 'agent.quarantine_release_requested', `agent:${agent.id}`, { reason });
    return record;
  }

  /** The latest release of each of these reporters that has one. */
  async of(pseudonyms: readonly string[]): Promise<Map<string, ReleaseRecord>> {
    return new Map((await this.repository.ofReporters(pseudonyms)).map((r) => [r.pseudonym, r]));
  }

  /** Scoring run (scoring lock held): applies the pending releases to the engine; returns how many released. */
  async applyPending(engine: ConsensusEngine, now: Date): Promise<number> {
    let released = 0;
    for (const r of await this.repository.pending()) {
      const done = engine.releaseQuarantine(r.pseudonym, r.requestedAt.getTime());
      await this.repository.markApplied(r.pseudonym, r.requestedAt, done ? 'released' : 'not_quarantined', now);
      if (done) released++;
      else this.logger.warn(`release of reporter ${r.pseudonym.slice(0, 8)}… found no quarantine begun before it`);
    }
    return released;
  }

  /** Rebuild or restore: applies again the releases that took effect after `after` (ms), since `since`. */
  async reapply(engine: ConsensusEngine, since: Date, after: number): Promise<number> {
    let released = 0;
    for (const r of await this.repository.releasedSince(since)) {
      if (r.appliedAt && r.appliedAt.getTime() > after && engine.releaseQuarantine(r.pseudonym, r.requestedAt.getTime())) released++;
    }
    return released;
  }
}
