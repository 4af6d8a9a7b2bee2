import { Injectable } from '@nestjs/common';
import { hashToken, issueToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Clock } from '../infra/clock/clock.js';
import { type BouncerKeyRecord, CrowdsecRepository } from './crowdsec.repository.js';
import { OrganizationsService } from '../agents/organizations.service.js';

/** X-Api-Key credentials for CrowdSec bouncers, per organisation (shown once, stored as a hash). */
@Injectable()
export class BouncerKeysService {
  constructor(
    private readonly repository: CrowdsecRepository,
    private readonly organizations: OrganizationsService,
    private readonly clock: Clock,
  ) {}

  /** Usable from the CLI as well as the operator route. */
  async create(organizationId: string, name: string): Promise<{ key: string; record: BouncerKeyRecord }> {
    if (!(await this.organizations.isActive(organizationId))) throw DomainError.notFound('Organisation not found');
    const issued = issueToken('qbk');
    const record = await this.repository.createBouncerKey(organizationId, name, issued.prefix, issued.hash);
    return { key: issued.token, record };
  }

  list(organizationId: string): Promise<BouncerKeyRecord[]> {
    return this.repository.listBouncerKeys(organizationId);
  }

  async revoke(organizationId: string, id: string): Promise<void> {
    if (!(await this.repository.revokeBouncerKey(organizationId, id, this.clock.now()))) throw DomainError.notFound('Bouncer key not found');
  }

  /** The key's record when it is valid (not revoked, organisation not erased), else null. */
  async authenticate(key: string | undefined): Promise<BouncerKeyRecord | null> {
    if (!key || key.length > 200) return null;
    const record = await this.repository.findBouncerKeyByHash(hashToken(key.trim()));
    if (!record || record.revokedAt) return null;
    return (await this.organizations.isActive(record.organizationId)) ? record : null;
  }

  async recordPull(id: string, userAgent: string | undefined): Promise<void> {
    await this.repository.recordBouncerPull(id, this.clock.now(), userAgent ? userAgent.slice(0, 128) : null);
  }
}
