import { Injectable, Module } from '@nestjs/common';
import { type DataLifecycle, DataLifecycleProvider, NO_IPS, NOTHING, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { CrowdsecErasureRepository } from './crowdsec-erasure.repository.js';

/** CrowdSec's erasure (docs/privacy.md R7): bouncer keys, stream cursors (`bouncer:<key id>`, `watcher:<agent id>`), metrics. */
@DataLifecycleProvider()
@Injectable()
export class CrowdsecLifecycle implements DataLifecycle {
  readonly domain = 'crowdsec' as const;
  readonly tables = ['crowdsec_cursor', 'crowdsec_bouncer_key', 'crowdsec_metrics'] as const;
  readonly stage = 50;

  constructor(private readonly repository: CrowdsecErasureRepository) {}

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    return this.repository.erase(s.organizationId, s.agentIds);
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

@Module({ providers: [CrowdsecErasureRepository, CrowdsecLifecycle] })
export class CrowdsecErasureModule {}
