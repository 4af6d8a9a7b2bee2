import { Injectable } from '@nestjs/common';
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
  ) {}

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
