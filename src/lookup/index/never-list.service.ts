import { Injectable, Logger } from '@nestjs/common';
import { CidrSet } from '../../common/ip/cidr-set.js';
import type { ParsedIp } from '../../common/ip/ip-address.js';
import { ScoreFeedRepository } from './score-feed.repository.js';

export interface NeverListMatch {
  readonly category: string;
  /** the list the block was imported from (`quorum never-list import ... --source`) */
  readonly source: string;
}

/**
 * Never-list networks (crawlers, CDNs, health checkers, resolvers...) from `never_list_entry`, held as
 * a CidrSet: an IP inside one is `benign` whatever was reported about it. Refreshed periodically.
 */
@Injectable()
export class NeverListService {
  private readonly logger = new Logger('LookupNeverList');
  private set: CidrSet<NeverListMatch> = CidrSet.build<NeverListMatch>([]);
  private loadedOnce = false;

  constructor(private readonly feed: ScoreFeedRepository) {}

  async refresh(): Promise<void> {
    const rows = await this.feed.neverListEntries();
    let invalid = 0;
    // One object per (category, source), so adjacent blocks of one list still merge in the set.
    const matches = new Map<string, NeverListMatch>();
    const matchOf = (category: string, source: string): NeverListMatch => {
      const key = `${category}\u0000${source}`;
      let match = matches.get(key);
      if (!match) matches.set(key, (match = Object.freeze({ category, source })));
      return match;
    };
    this.set = CidrSet.build(
      rows.map((r) => [r.cidr, matchOf(r.category, r.source)] as const),
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
    return this.set.match(ip)?.category ?? null;
  }

  /** Category and source list of the most specific never-list block holding `ip`, or null. */
  matchOf(ip: ParsedIp): NeverListMatch | null {
    return this.set.match(ip) ?? null;
  }
}
