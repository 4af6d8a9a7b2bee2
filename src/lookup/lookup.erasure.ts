import { Injectable, Module } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service.js';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import type { RetentionCutoffs } from '../privacy/retention-policy.js';
import { LookupErasureRepository } from './lookup-erasure.repository.js';

/**
 * Lookup's erasure and retention (docs/privacy.md R7, usage records): API keys, the plan row, the quota
 * counters in Redis (`lookup:quota:<organisation id>:…`), and every replica's key cache (pub/sub, the
 * channel of src/lookup/events/lookup-bus.ts); usage counters and mirror activity stay as billing
 * aggregates without key ids.
 */
@DataLifecycleProvider()
@Injectable()
export class LookupLifecycle extends NoIpDataLifecycle {
  readonly domain = 'lookup' as const;
  readonly tables = ['plan', 'organization_plan', 'api_key', 'usage_counter', 'mirror_activity'] as const;
  readonly stage = 50;

  constructor(
    private readonly repository: LookupErasureRepository,
    private readonly redis: RedisService,
  ) {
    super();
  }

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    const removed = await this.repository.erase(s.organizationId);
    const quota = await this.redis.eraser.deleteByPrefix(`${this.redis.key('lookup', 'quota', s.organizationId)}:`);
    await this.redis.pubsub.publish(this.redis.key('lookup', 'invalidate'), JSON.stringify({ t: 'org', org: s.organizationId })).catch(() => 0);
    return { ...removed, 'redis:lookup-quota': quota };
  }

  override async applyRetention(_now: Date, cut: RetentionCutoffs): Promise<Removed> {
    return { usage_counter: await this.repository.deleteUsageBefore(cut.usage) };
  }

  override async oldestRows(): Promise<Record<string, Date | null>> {
    return { usage_counter: await this.repository.oldest() };
  }
}

@Module({ providers: [LookupErasureRepository, LookupLifecycle] })
export class LookupErasureModule {}
