import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { BlocklistSync } from './blocklist-sync.service.js';
import { BlocklistRepository } from './blocklist.repository.js';
import type { ListingChange, StoredEntry, VersionInfo } from './blocklist.types.js';
import { planVersion, wantedListings } from './publish-plan.js';

/** The blocklist domain's public face for other domains (consensus publishes, lookup reads). */
@Injectable()
export class BlocklistService {
  private readonly logger = new Logger('Blocklist');

  constructor(
    private readonly repository: BlocklistRepository,
    private readonly sync: BlocklistSync,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Publishes one version holding `changes` (one transaction), or returns null when nothing changed.
   * An upsert of a listed key with other attributes replaces its entry; an upsert whose `until` has
   * passed, or a remove, delists it. Listed entries whose `until` has passed are closed in the same
   * version. Invalid changes are skipped and logged. After commit, every API process is told over
   * Redis pub/sub and loads the version within about a second.
   */
  async publishChanges(changes: ListingChange[], now: Date): Promise<{ version: number } | null> {
    const { wanted, skipped } = wantedListings(changes, { ipv6Prefix: this.config.blocklist.ipv6Prefix, now });
    if (skipped.length > 0) {
      this.logger.warn({ skipped: skipped.slice(0, 20), count: skipped.length }, 'blocklist changes skipped');
    }
    if (wanted.length === 0) return null;
    const version = await this.repository.publishVersion(
      wanted.map((w) => w.ipKey),
      now,
      (open) => planVersion(wanted, open),
    );
    if (version === null) return null;
    this.logger.log(`blocklist version ${version.id}: +${version.added} -${version.removed} = ${version.total}`);
    await this.announce(version);
    await this.prune(now);
    return { version: version.id };
  }

  /**
   * The open entries of the version this process has loaded, including entries whose `until` has
   * passed since (check `until` against the clock). Loaded at boot in API processes; elsewhere it is
   * empty until `ready()` has been awaited. The array is replaced, never mutated, on a new version.
   */
  currentEntries(): readonly StoredEntry[] {
    return this.sync.state.entries();
  }

  currentVersion(): number {
    return this.sync.state.version;
  }

  /** Loads the current list in this process if it is not loaded yet. */
  async ready(): Promise<void> {
    await this.sync.loaded();
  }

  /** Called after this process has moved to a new version (e.g. to rebuild a lookup index). */
  onVersion(listener: (version: number) => void): void {
    this.sync.onVersion(listener);
  }

  private async announce(version: VersionInfo): Promise<void> {
    try {
      await this.redis.pubsub.publish(this.sync.channel, String(version.id));
    } catch (error) {
      // API processes also poll for new versions: they catch up within QUORUM_BLOCKLIST_POLL_SECONDS.
      this.logger.warn(`version ${version.id} not announced: ${(error as Error).message}`);
    }
  }

  private async prune(now: Date): Promise<void> {
    try {
      await this.repository.pruneHistory(new Date(now.getTime() - this.config.blocklist.historyHours * 3_600_000));
    } catch (error) {
      this.logger.warn(`history not pruned: ${(error as Error).message}`);
    }
  }
}
