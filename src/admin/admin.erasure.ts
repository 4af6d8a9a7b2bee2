import { Injectable, Module } from '@nestjs/common';
import { type DataLifecycle, DataLifecycleProvider, NO_IPS, NOTHING, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { AdminErasureRepository } from './admin-erasure.repository.js';

/**
 * Operators' erasure (docs/privacy.md R7): an organisation's operators and their sessions go with it.
 * Expired sessions are swept at sign-in; the login-throttle counters (Redis, keyed by a hash of the email)
 * expire after 15 minutes (src/admin/login-throttle.service.ts).
 */
@DataLifecycleProvider()
@Injectable()
export class AdminLifecycle implements DataLifecycle {
  readonly domain = 'admin' as const;
  readonly tables = ['operator_user', 'operator_session'] as const;
  readonly stage = 50;

  constructor(private readonly repository: AdminErasureRepository) {}

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return this.repository.erase(s.organizationId);
  }

  async eraseIp(): Promise<Removed> {
    return NOTHING;
  }

  async applyRetention(): Promise<Removed> {
    return NOTHING;
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return {};
  }

  async heldIps(): Promise<typeof NO_IPS> {
    return NO_IPS;
  }
}

@Module({ providers: [AdminErasureRepository, AdminLifecycle] })
export class AdminErasureModule {}
