import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReporterIdentityService } from '../agents/reporter-identity.service.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { OrganizationErasureRepository } from './organization-erasure.repository.js';
import { type PrivacyRequestRecord, PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { organizationSubject } from './subject-hash.js';

/**
 * Erasure of an organisation (GDPR R7): credentials revoked and votes withdrawn at once, the pseudonym
 * key destroyed (crypto-shredding), affected IPs rescored by a consensus rebuild, personal data
 * deleted, an audit entry and a confirmation (the closed request).
 */
@Injectable()
export class OrganizationErasureService {
  private readonly logger = new Logger('OrganizationErasure');

  constructor(
    private readonly repository: OrganizationErasureRepository,
    private readonly requests: PrivacyRequestsRepository,
    private readonly identities: ReporterIdentityService,
    private readonly queues: QueueService,
    private readonly redis: RedisService,
    private readonly audit: AuditService,
    private readonly ledger: ErasureLedgerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async erase(organizationId: string, actor: string): Promise<PrivacyRequestRecord> {
    const now = this.clock.now();
    const subject = organizationSubject(this.config.privacy.pseudonymSecret, organizationId);
    const request = await this.requests.create({ kind: 'organization_erasure', subject, ip: null, status: 'processing', tokenHash: null, now });
    const shredded = await this.repository.shred(organizationId, now);
    if (!shredded) {
      await this.requests.close(request.id, 'refused', now, {}, 'unknown_organization');
      throw DomainError.notFound('Organisation not found');
    }
    this.identities.forget(organizationId);
    // R13: a restore of an older backup replays this (keyed hash only).
    await this.ledger.record([{ kind: 'organization', subject, erasedAt: now }]);
    await this.invalidateCaches(organizationId);
    await this.rescore(request.id);
    const purged = await this.repository.purge(organizationId);
    await this.audit.record(actor, 'privacy.organization_erased', `privacy:${request.id}`, { subject, ...shredded });
    const rows = Object.values(purged).reduce((a, b) => a + b, 0);
    return this.requests.close(request.id, 'completed', this.clock.now(), { ...shredded, purgedRows: rows, keyDestroyed: true });
  }

  /** Resumes purges an interrupted erasure left behind (called by the retention job). */
  async purgeLeftovers(): Promise<number> {
    let done = 0;
    for (const id of await this.repository.erasedOrganizations(100)) {
      await this.repository.shred(id, this.clock.now());
      this.identities.forget(id);
      await this.repository.purge(id);
      done++;
    }
    return done;
  }

  private async invalidateCaches(organizationId: string): Promise<void> {
    // API-key caches of every replica drop the organisation (same channel as the lookup domain's bus).
    await this.redis.pubsub.publish(this.redis.key('lookup', 'invalidate'), JSON.stringify({ t: 'org', org: organizationId })).catch(() => 0);
  }

  /** Withdrawn votes take effect when the engines rebuild from the remaining signals. */
  private async rescore(requestId: string): Promise<void> {
    try {
      await this.queues.enqueue(JobName.ConsensusRecompute, { reason: 'organization_erasure' }, jobId(JobName.ConsensusRecompute, 'erasure', requestId));
    } catch (error) {
      // The periodic recompute (QUORUM_CONSENSUS_RECOMPUTE_MS) rebuilds anyway.
      this.logger.warn(`rescoring not queued: ${(error as Error).message}`);
    }
  }
}
