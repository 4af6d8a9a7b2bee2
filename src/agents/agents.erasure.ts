import { Injectable, Module } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service.js';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { NETWORK_DERIVED_DAYS } from '../privacy/retention-policy.js';
import { AgentsModule } from './agents.module.js';
import { AgentsErasureRepository } from './agents-erasure.repository.js';
import { ReporterIdentityService } from './reporter-identity.service.js';

/**
 * Accounts' erasure and retention (docs/privacy.md R6, R7), with the agents' login rate windows and
 * nonces in Redis (`rl:login:<agent id>`, `nonce:login:<agent id>:…`). Erasure starts here (`begin`: credentials
 * revoked at once, pseudonyms worked out while the key exists) and ends here (stage 90: the key is
 * destroyed with the organisation's rows), so a crash in between resumes from the erased mark.
 */
@DataLifecycleProvider()
@Injectable()
export class AgentsLifecycle extends NoIpDataLifecycle {
  readonly domain = 'agents' as const;
  readonly tables = ['organization', 'reporter_key', 'enrollment_key', 'agent'] as const;
  readonly stage = 90;

  constructor(
    private readonly repository: AgentsErasureRepository,
    private readonly identities: ReporterIdentityService,
    private readonly redis: RedisService,
  ) {
    super();
  }

  /** Marks the organisation erased and revokes its credentials; null when it does not exist. */
  async begin(organizationId: string, now: Date): Promise<Omit<OrganizationSubject, 'identifiers'> | null> {
    const started = await this.repository.begin(organizationId, now);
    if (!started) return null;
    const pseudonyms = await this.identities.pseudonymsForErasure(organizationId, started.agentIds);
    return { organizationId, agentIds: started.agentIds, owner: pseudonyms?.owner ?? null, reporters: pseudonyms?.reporters ?? [], now };
  }

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    const removed = await this.repository.erase(s.organizationId);
    this.identities.forget(s.organizationId);
    // Agent logins' Redis state (src/agents/agents.service.ts): the rate window and used nonces per agent id.
    const keys = s.agentIds.map((id) => this.redis.key('rl', 'login', id));
    let redis = await this.redis.eraser.deleteKeys(keys);
    for (const id of s.agentIds) redis += await this.redis.eraser.deleteByPrefix(`${this.redis.key('nonce', 'login', id)}:`);
    return { ...removed, 'redis:agent-login': redis };
  }

  override async applyRetention(now: Date): Promise<Removed> {
    return { agent_network: await this.repository.clearNetworkDerivations(new Date(now.getTime() - NETWORK_DERIVED_DAYS * 86_400_000)) };
  }

  /** Organisations marked erased but still present (an interrupted erasure), oldest first. */
  erasedOrganizations(limit: number): Promise<string[]> {
    return this.repository.erasedOrganizations(limit);
  }

  organizationIds(): Promise<string[]> {
    return this.repository.organizationIds();
  }
}

@Module({ imports: [AgentsModule], providers: [AgentsErasureRepository, AgentsLifecycle], exports: [AgentsLifecycle] })
export class AgentsErasureModule {}
