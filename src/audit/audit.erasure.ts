import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import type { RetentionCutoffs } from '../privacy/retention-policy.js';
import { AuditRepository } from './audit.repository.js';

/**
 * The audit log's erasure and retention (docs/privacy.md R11): entries are never edited (the chain must
 * verify); an erasure destroys the keys of the organisation's identifiers instead, and retention prunes
 * entries past 12 months behind an anchor.
 */
@DataLifecycleProvider()
@Injectable()
export class AuditLifecycle extends NoIpDataLifecycle {
  readonly domain = 'audit' as const;
  readonly tables = ['audit_log', 'audit_anchor', 'audit_subject_key'] as const;
  readonly stage = 5;

  constructor(private readonly repository: AuditRepository) {
    super();
  }

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return { audit_subject_key: await this.repository.shred([...new Set([s.organizationId, ...s.agentIds, ...s.identifiers])]) };
  }

  override async applyRetention(now: Date, cut: RetentionCutoffs): Promise<Removed> {
    return { audit_log: await this.repository.prune(cut.audit, now) };
  }

  override async oldestRows(): Promise<Record<string, Date | null>> {
    return { audit_log: await this.repository.oldest() };
  }
}

@Module({ providers: [AuditRepository, AuditLifecycle] })
export class AuditErasureModule {}
