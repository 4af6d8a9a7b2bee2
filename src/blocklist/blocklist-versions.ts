import { Injectable } from '@nestjs/common';
import { BlocklistRepository } from './blocklist.repository.js';
import type { KeyHistoryRow, StoredEntry, VersionInfo } from './blocklist.types.js';

/**
 * The blocklist's version history as other domains read it (table ownership, docs/architecture.md):
 * the CrowdSec decision streams ask what was closed between two versions and when a version was published;
 * the operator console pages the versions and reads one key's listings and delistings.
 */
@Injectable()
export class BlocklistVersions {
  constructor(private readonly repository: BlocklistRepository) {}

  /** Entries listed at `from` and closed in (from, to]; none when `to` is not after `from`. */
  async closedBetween(from: number, to: number): Promise<StoredEntry[]> {
    return to <= from ? [] : this.repository.closedBetween(from, to);
  }

  /** The newest published version, or null before the first. */
  async latestId(): Promise<number | null> {
    return (await this.repository.latestVersion())?.id ?? null;
  }

  /** When `version` was published, or null when it is not (or no longer) in the kept history. */
  createdAt(version: number): Promise<Date | null> {
    return this.repository.versionCreatedAt(version);
  }

  /** A page of the kept versions, newest first, before `beforeId` (from the newest when null). */
  page(beforeId: number | null, limit: number): Promise<VersionInfo[]> {
    return this.repository.versionsPage(beforeId, limit);
  }

  /** The oldest version still kept (history is pruned by age), 0 when there is none. */
  oldestId(): Promise<number> {
    return this.repository.oldestVersionId();
  }

  /** One key's kept rows, oldest first (at most `limit` of the newest). */
  historyOf(ipKey: string, limit = 200): Promise<KeyHistoryRow[]> {
    return this.repository.historyOf(ipKey, limit);
  }
}
