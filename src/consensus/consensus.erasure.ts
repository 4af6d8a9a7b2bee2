import { Inject, Injectable, Module } from '@nestjs/common';
import { BlocklistModule } from '../blocklist/blocklist.module.js';
import { BlocklistService } from '../blocklist/blocklist.service.js';
import { SignalsModule } from '../signals/signals.module.js';
import { type DataLifecycle, DataLifecycleProvider, type IpSubject, type OrganizationSubject, type Removed } from '../privacy/data-lifecycle.js';
import { NETWORK_DERIVED_DAYS, type RetentionCutoffs } from '../privacy/retention-policy.js';
import { SignalsFeed } from '../signals/signals-feed.js';
import { ConsensusErasureRepository, type HeldScores } from './consensus-erasure.repository.js';
import { LISTING_PUBLISHER, type ListingPublisher } from './listing-publisher.js';

/**
 * Consensus' erasure and retention (docs/privacy.md R2, R4, R6, R7, R9, R10), and the protection markers
 * of erased IPs it honours. An erased organisation's
 * votes are withdrawn: the keys it reported are read from the signals before they go (hence stage 10);
 * keys nobody else reported lose their aggregate and explanations at once and their listings are
 * withdrawn from the blocklist; the others are rescored by the rebuild the erasure queues
 * (`consensus-recompute`, from the remaining signals; engine snapshots are deleted so none restores them).
 */
@DataLifecycleProvider()
@Injectable()
export class ConsensusLifecycle implements DataLifecycle {
  readonly domain = 'consensus' as const;
  readonly tables = [
    'reporter',
    'ip_score',
    'listing_explanation',
    'consensus_cursor',
    'never_list_entry',
    'dark_canary',
    'delisting_request',
    'ip_protection',
    'consensus_snapshot',
    'consensus_snapshot_chunk',
  ] as const;
  readonly stage = 10;

  constructor(
    private readonly repository: ConsensusErasureRepository,
    private readonly signals: SignalsFeed,
    @Inject(LISTING_PUBLISHER) private readonly publisher: ListingPublisher,
  ) {}

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(s: OrganizationSubject): Promise<Removed> {
    const voted = s.owner ? await this.signals.ipKeysOfOwner(s.owner) : [];
    const others = new Set(s.owner && voted.length > 0 ? await this.signals.keysReportedByOthers(voted, s.owner) : []);
    const { removed, listed } = await this.repository.eraseOwner(s.owner, s.reporters, voted.filter((k) => !others.has(k)));
    if (listed.length > 0) {
      await this.publisher.publishChanges(
        listed.map((l) => ({ ipKey: l.ipKey, value: l.ipKey, scope: l.ipKey.includes('/') ? 'range' : 'ip', scenarioClass: l.scenario, score: l.score, until: l.until ?? s.now, kind: 'remove' })),
        s.now,
      );
    }
    return { ...removed, withdrawn_listings: listed.length };
  }

  eraseIp(s: IpSubject): Promise<Removed> {
    return this.repository.eraseIp(s.ipKey, s.address !== s.ipKey ? s.address : null, s.wholeKey);
  }

  async applyRetention(now: Date, cut: RetentionCutoffs): Promise<Removed> {
    const networkCutoff = new Date(now.getTime() - NETWORK_DERIVED_DAYS * 86_400_000);
    return {
      ip_score: await this.repository.deleteIpScoresBefore(cut.ipScore),
      listing_explanation: await this.repository.deleteExplanationsBefore(cut.explanation),
      delisting_request: await this.repository.deleteDelistingsBefore(cut.delisting),
      reporter_network: await this.repository.clearReporterNetworks(networkCutoff, await this.signals.reportersActiveSince(networkCutoff)),
      ip_protection: await this.repository.deleteExpiredProtections(now),
    };
  }

  oldestRows(): Promise<Record<string, Date | null>> {
    return this.repository.oldest();
  }

  heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }> {
    return this.repository.heldIps();
  }

  /**
   * R9: marks an erased IP (by its keyed hash) until `expiresAt`: scoring then needs a honeypot sighting
   * to list it (src/consensus/consensus.service.ts isProtected), so late reports do not relist it.
   */
  protect(ipHash: string, now: Date, expiresAt: Date): Promise<void> {
    return this.repository.protect(ipHash, now, expiresAt);
  }

  protectedUntil(ipHash: string, now: Date): Promise<Date | null> {
    return this.repository.protection(ipHash, now);
  }

  /** What consensus holds about an IP (R8): aggregate, explanations without voters, delisting records. */
  held(ipKey: string, address: string | null, limit: number): Promise<HeldScores> {
    return this.repository.held(ipKey, address !== null && address !== ipKey ? address : null, limit);
  }
}

@Module({
  imports: [SignalsModule, BlocklistModule],
  providers: [ConsensusErasureRepository, ConsensusLifecycle, { provide: LISTING_PUBLISHER, useExisting: BlocklistService }],
  exports: [ConsensusLifecycle],
})
export class ConsensusErasureModule {}
