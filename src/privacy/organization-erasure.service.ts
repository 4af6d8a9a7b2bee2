import { Inject, Injectable, Logger } from '@nestjs/common';
import { AgentsLifecycle } from '../agents/agents.erasure.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { QueueService } from '../infra/queue/queue.service.js';
import type { OrganizationSubject, Removed } from './data-lifecycle.js';
import { DataLifecycles } from './data-lifecycles.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { type PrivacyRequestRecord, PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { organizationSubject } from './subject-hash.js';

/**
 * Erasure of an organisation (GDPR R7, docs/privacy.md "Erasure contract"): credentials revoked at once
 * (the agents domain marks it erased), then every domain erases its own rows and Redis keys, in stage
 * order (consensus withdraws the votes while the signals still say which keys they were on; audit
 * destroys the keys of the organisation's identifiers; the agents domain destroys the pseudonym key
 * with the organisation last); affected IPs are rescored by a consensus rebuild; an audit entry and a
 * confirmation (the closed request) follow.
 */
@Injectable()
export class OrganizationErasureService {
  private readonly logger = new Logger('OrganizationErasure');

  constructor(
    private readonly agents: AgentsLifecycle,
    private readonly lifecycles: DataLifecycles,
    private readonly requests: PrivacyRequestsRepository,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
    private readonly ledger: ErasureLedgerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async erase(organizationId: string, actor: string): Promise<PrivacyRequestRecord> {
    const now = this.clock.now();
    const subject = organizationSubject(this.config.privacy.pseudonymSecret, organizationId);
    const request = await this.requests.create({ kind: 'organization_erasure', subject, ip: null, status: 'processing', tokenHash: null, now });
    const started = await this.agents.begin(organizationId, now);
    if (!started) {
      await this.requests.close(request.id, 'refused', now, {}, 'unknown_organization');
      throw DomainError.notFound('Organisation not found');
    }
    // R13: a restore of an older backup replays this (keyed hash only).
    await this.ledger.record([{ kind: 'organization', subject, erasedAt: now }]);
    const removed = await this.eraseEverywhere(started);
    await this.rescore(request.id);
    const summary = { agents: started.agentIds.length, signals: removed.signal ?? 0, reporters: removed.reporter ?? 0, withdrawnListings: removed.withdrawn_listings ?? 0 };
    await this.audit.record(actor, 'privacy.organization_erased', `privacy:${request.id}`, { subject, ...summary });
    const rows = Object.values(removed).reduce((a, b) => a + b, 0);
    return this.requests.close(request.id, 'completed', this.clock.now(), { ...summary, purgedRows: rows, keyDestroyed: true });
  }

  /** Resumes erasures an interruption left behind (called by the retention job and after a restore). */
  async purgeLeftovers(): Promise<number> {
    let done = 0;
    for (const id of await this.agents.erasedOrganizations(100)) {
      const started = await this.agents.begin(id, this.clock.now());
      if (!started) continue;
      await this.eraseEverywhere(started);
      done++;
    }
    return done;
  }

  /** Every domain's `eraseOrganization`, in stage order, with the identifiers gathered before any went. */
  private async eraseEverywhere(started: Omit<OrganizationSubject, 'identifiers'>): Promise<Removed> {
    const all = this.lifecycles.all();
    const identifiers = new Set<string>();
    for (const lifecycle of all) for (const id of await lifecycle.identifiersOf(started.organizationId)) identifiers.add(id);
    const subject: OrganizationSubject = { ...started, identifiers: [...identifiers] };
    const out: Removed = {};
    for (const lifecycle of all) {
      for (const [table, n] of Object.entries(await lifecycle.eraseOrganization(subject))) out[table] = (out[table] ?? 0) + n;
    }
    return out;
  }

  /** The remaining votes are rescored when the engines rebuild from the remaining signals. */
  private async rescore(requestId: string): Promise<void> {
    try {
      await this.queues.enqueue(JobName.ConsensusRecompute, { reason: 'organization_erasure' }, jobId(JobName.ConsensusRecompute, 'erasure', requestId));
    } catch (error) {
      // The periodic recompute (QUORUM_CONSENSUS_RECOMPUTE_MS) rebuilds anyway.
      this.logger.warn(`rescoring not queued: ${(error as Error).message}`);
    }
  }
}
