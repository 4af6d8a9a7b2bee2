import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { issueToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Clock } from '../infra/clock/clock.js';
import { type EnrollmentKeyRecord, type OrganizationRecord, OrganizationsRepository } from './organizations.repository.js';

/** Organisations and their enrollment keys (shown once, stored as a hash with a visible prefix). */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Whether the organisation exists and is not being erased (other domains refuse to serve it otherwise). */
  async isActive(id: string): Promise<boolean> {
    const organization = await this.organizations.findById(id);
    return organization !== null && organization.erasedAt === null;
  }

  /**
   * Changes an organisation's kind, in the audit log. `internal` vouches for the organisation's
   * fleet: its agents start established and count as their own network in consensus, from the next
   * scoring run (docs/consensus.md, "Vouched fleets").
   */
  async setKind(id: string, kind: OrganizationRecord['kind'], actor: string, reason: string): Promise<void> {
    const before = await this.organizations.setKind(id, kind);
    if (before === null) throw DomainError.notFound('Organisation not found');
    await this.audit.record(actor, 'organization.kind', `organization:${id}`, { from: before, to: kind, reason });
  }

  /**
   * Suspends an organisation (docs/operators.md "Suspension"): its API keys are refused with 403
   * `organization_suspended` until it is resumed; audited with the operator's reason. Suspending a
   * suspended organisation is a conflict, so the first reason stays.
   */
  async suspend(id: string, reason: string, actor: string): Promise<OrganizationRecord> {
    const current = await this.organizations.findById(id);
    if (!current || current.erasedAt) throw DomainError.notFound('Organisation not found');
    if (current.suspendedAt) throw DomainError.conflict('The organisation is already suspended');
    const at = this.clock.now();
    if (!(await this.organizations.setSuspension(id, { at, reason }))) throw DomainError.conflict('The organisation is already suspended');
    await this.audit.record(actor, 'organization.suspended', `organization:${id}`, { reason });
    return { ...current, suspendedAt: at, suspensionReason: reason };
  }

  /** Lifts a suspension; audited with the operator's reason. */
  async resume(id: string, reason: string, actor: string): Promise<OrganizationRecord> {
    const current = await this.organizations.findById(id);
    if (!current || current.erasedAt) throw DomainError.notFound('Organisation not found');
    if (!current.suspendedAt) throw DomainError.conflict('The organisation is not suspended');
    if (!(await this.organizations.setSuspension(id, null))) throw DomainError.conflict('The organisation is not suspended');
    await this.audit.record(actor, 'organization.resumed', `organization:${id}`, { reason, suspendedSince: current.suspendedAt.toISOString() });
    return { ...current, suspendedAt: null, suspensionReason: null };
  }

  create(name: string, kind: OrganizationRecord['kind'] = 'customer'): Promise<OrganizationRecord> {
    return this.organizations.create(name, kind);
  }

  findById(id: string): Promise<OrganizationRecord | null> {
    return this.organizations.findById(id);
  }

  async createEnrollmentKey(organizationId: string, name: string, ttlDays?: number): Promise<{ key: string; record: EnrollmentKeyRecord }> {
    const organization = await this.organizations.findById(organizationId);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    const issued = issueToken('qek');
    const expiresAt = ttlDays ? new Date(this.clock.nowMs() + ttlDays * 86_400_000) : null;
    const record = await this.organizations.createEnrollmentKey(organizationId, name, issued.prefix, issued.hash, expiresAt);
    return { key: issued.token, record };
  }

  listEnrollmentKeys(organizationId: string): Promise<EnrollmentKeyRecord[]> {
    return this.organizations.listEnrollmentKeys(organizationId);
  }

  async revokeEnrollmentKey(organizationId: string, id: string): Promise<void> {
    if (!(await this.organizations.revokeEnrollmentKey(organizationId, id, this.clock.now()))) throw DomainError.notFound('Enrollment key not found');
  }
}
