import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { AdminErasureRepository } from './admin-erasure.repository.js';

/**
 * Operators' erasure (docs/privacy.md R7): an organisation's operators and their sessions go with it.
 * Expired sessions are swept at sign-in; the login-throttle counters (Redis, keyed by a hash of the email)
 * expire after 15 minutes (src/admin/login-throttle.service.ts).
 */
@DataLifecycleProvider()
@Injectable()
export class AdminLifecycle extends NoIpDataLifecycle {
  readonly domain = 'admin' as const;
  readonly tables = ['operator_user', 'operator_session'] as const;
  readonly stage = 50;

  constructor(private readonly repository: AdminErasureRepository) {
    super();
  }

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return this.repository.erase(s.organizationId);
  }
}

@Module({ providers: [AdminErasureRepository, AdminLifecycle] })
export class AdminErasureModule {}
