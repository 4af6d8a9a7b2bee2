import { Injectable, Module } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service.js';
import { DataLifecycleProvider, NoIpDataLifecycle, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { MembersErasureRepository } from './members-erasure.repository.js';

/** Customer members' erasure (docs/privacy.md R7): members, sessions, links, their kept mail, the invitation window. */
@DataLifecycleProvider()
@Injectable()
export class MembersLifecycle extends NoIpDataLifecycle {
  readonly domain = 'members' as const;
  readonly tables = ['member', 'member_session', 'member_token', 'email_outbox'] as const;
  readonly stage = 50;

  constructor(
    private readonly repository: MembersErasureRepository,
    private readonly redis: RedisService,
  ) {
    super();
  }

  identifiersOf(organizationId: string): Promise<string[]> {
    return this.repository.identifiers(organizationId);
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    const removed = await this.repository.erase(s.organizationId);
    // The organisation's invitation window (src/members/member-auth.service.ts, `rl:member-invite-org:<id>`).
    return { ...removed, 'redis:member-invite': await this.redis.eraser.deleteKeys([this.redis.key('rl', 'member-invite-org', s.organizationId)]) };
  }
}

@Module({ providers: [MembersErasureRepository, MembersLifecycle] })
export class MembersErasureModule {}
