import { Injectable } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service.js';
import { hashTag } from '../infra/redis/shared-state.js';
import { type DataLifecycle, DataLifecycleProvider, type IpSubject, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { partitionsToDrop, type RetentionCutoffs } from '../privacy/retention-policy.js';
import { SignalPartitionsRepository } from './signal-partitions.repository.js';
import { SignalsErasureRepository } from './signals-feed.repository.js';

/**
 * Signals' erasure and retention (docs/privacy.md R1, R7, R9): raw signals by owner pseudonym (their
 * uuids, which recognise resends, go with them), batch nonces, and the ingest gate's Redis keys (`ingest:{reporter}:…`, `nonce:batch:{reporter}:…`,
 * keyed by the reporter pseudonym: src/signals/signals.service.ts).
 */
@DataLifecycleProvider()
@Injectable()
export class SignalsLifecycle implements DataLifecycle {
  readonly domain = 'signals' as const;
  readonly tables = ['signal', 'signal_batch_nonce'] as const;
  readonly stage = 20;

  constructor(
    private readonly repository: SignalsErasureRepository,
    private readonly partitions: SignalPartitionsRepository,
    private readonly redis: RedisService,
  ) {}

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    const removed = await this.repository.eraseOwner(s.owner, s.reporters, s.agentIds);
    let keys = 0;
    for (const id of [...s.reporters, ...s.agentIds]) {
      keys += await this.redis.eraser.deleteByPrefix(`${this.redis.key('ingest', hashTag(id))}:`);
      keys += await this.redis.eraser.deleteByPrefix(`${this.redis.key('nonce', 'batch', hashTag(id))}:`);
    }
    return { ...removed, 'redis:ingest': keys };
  }

  async eraseIp(s: IpSubject): Promise<Removed> {
    return { signal: await this.repository.eraseIp(s.ipKey, s.address !== s.ipKey ? s.address : null) };
  }

  /** R1: whole day partitions, then the boundary partition's rows. */
  async applyRetention(_now: Date, cut: RetentionCutoffs): Promise<Removed> {
    const dropped = partitionsToDrop(await this.partitions.list(), cut.signal);
    await this.partitions.drop(dropped);
    const out: Removed = { signal: await this.repository.deleteSignalsBefore(cut.signal) };
    for (const name of dropped) out[`partition:${name}`] = 1;
    return out;
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return this.repository.oldest();
  }

  heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }> {
    return this.repository.heldIps();
  }
}
