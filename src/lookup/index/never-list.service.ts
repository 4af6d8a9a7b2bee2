import { Injectable, Logger } from '@nestjs/common';
import { CidrSet } from '../../common/ip/cidr-set.js';
import type { ParsedIp } from '../../common/ip/ip-address.js';
import { ScoreFeedRepository } from './score-feed.repository.js';

/**
 * Never-list networks (crawlers, CDNs, health checkers, resolvers...) from `never_list_entry`, held as
 * a CidrSet: an IP inside one is `benign` whatever was reported about it. Refreshed periodically.
 */
@Injectable()
export class NeverListService {
  private readonly logger = new Logger('LookupNeverList');
  private set: CidrSet<string> = CidrSet.build<string>([]);
  private loadedOnce = false;

  constructor(private readonly feed: ScoreFeedRepository) {}

  async refresh(): Promise<void> {
    const rows = await this.feed.neverListEntries();
    let invalid = 0;
    this.set = CidrSet.build(
      rows.map((r) => [r.cidr, r.category] as const),
      () => invalid++,
    );
    if (invalid > 0) this.logger.warn(`${invalid} never-list entries are not valid CIDRs and were skipped`);
    this.loadedOnce = true;
  }

  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** The category of the most specific never-list block holding `ip`, or null. */
  categoryOf(ip: ParsedIp): string | null {
    return this.set.match(ip) ?? null;
  }
}
