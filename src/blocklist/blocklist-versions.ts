import { Injectable } from '@nestjs/common';
import { BlocklistRepository } from './blocklist.repository.js';
import type { StoredEntry } from './blocklist.types.js';

/**
 * The blocklist's version history as other domains read it (table ownership, docs/architecture.md):
 * the CrowdSec decision streams ask what was closed between two versions and when a version was published.
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
}
