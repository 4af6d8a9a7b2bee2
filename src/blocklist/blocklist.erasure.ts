import { Injectable, Module } from '@nestjs/common';
import { type DataLifecycle, DataLifecycleProvider, type IpSubject, NOTHING, type Removed } from '../privacy/data-lifecycle.js';
import type { RetentionCutoffs } from '../privacy/retention-policy.js';
import { BlocklistErasureRepository } from './blocklist-erasure.repository.js';
import { BlocklistRepository } from './blocklist.repository.js';

/**
 * The blocklist's erasure and retention (docs/privacy.md R3, R9). It holds no organisation data; an
 * erased organisation's listings are withdrawn through consensus (src/consensus/consensus.erasure.ts).
 */
@DataLifecycleProvider()
@Injectable()
export class BlocklistLifecycle implements DataLifecycle {
  readonly domain = 'blocklist' as const;
  readonly tables = ['blocklist_version', 'blocklist_entry'] as const;
  readonly stage = 30;

  constructor(
    private readonly repository: BlocklistErasureRepository,
    private readonly versions: BlocklistRepository,
  ) {}

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(): Promise<Removed> {
    return NOTHING;
  }

  async eraseIp(s: IpSubject): Promise<Removed> {
    return s.wholeKey ? { blocklist_entry: await this.repository.eraseIp(s.ipKey, s.now) } : NOTHING;
  }

  /**
   * R3: the blocklist prunes its versions on each publication; this enforces the bound when nothing is
   * published, with the same delta-safe pruning (the oldest kept version is the first after the cutoff).
   */
  async applyRetention(_now: Date, cut: RetentionCutoffs): Promise<Removed> {
    const before = await this.versions.oldestVersionId();
    const oldest = await this.versions.pruneHistory(cut.blocklist);
    return { blocklist_version: before > 0 && oldest > before ? oldest - before : 0 };
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return { blocklist_version: await this.repository.oldest() };
  }

  async heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }> {
    return { keys: await this.repository.heldKeys(), addresses: [] };
  }

  /** What the blocklist holds about an IP key (R8). */
  held(ipKey: string, limit: number): ReturnType<BlocklistErasureRepository['held']> {
    return this.repository.held(ipKey, limit);
  }
}

@Module({ providers: [BlocklistRepository, BlocklistErasureRepository, BlocklistLifecycle], exports: [BlocklistLifecycle] })
export class BlocklistErasureModule {}
