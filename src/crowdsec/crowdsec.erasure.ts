import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { CrowdsecErasureRepository } from './crowdsec-erasure.repository.js';

/** CrowdSec's erasure (docs/privacy.md R7): bouncer keys, stream cursors (`bouncer:<key id>`, `watcher:<agent id>`), metrics. */
@DataLifecycleProvider()
@Injectable()
export class CrowdsecLifecycle extends NoIpDataLifecycle {
  readonly domain = 'crowdsec' as const;
  readonly tables = ['crowdsec_cursor', 'crowdsec_bouncer_key', 'crowdsec_metrics'] as const;
  readonly stage = 50;

  constructor(private readonly repository: CrowdsecErasureRepository) {
    super();
  }

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return this.repository.erase(s.organizationId, s.agentIds);
  }
}

@Module({ providers: [CrowdsecErasureRepository, CrowdsecLifecycle] })
export class CrowdsecErasureModule {}
