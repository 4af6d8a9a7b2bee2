import { readFile } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { CidrSet } from '../../common/ip/cidr-set.js';
import { parseCidrOrIp } from '../../common/ip/cidr.js';
import type { ParsedIp } from '../../common/ip/ip-address.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { ConsensusRepository } from '../consensus.repository.js';
import { parseRangeFile } from './range-file.parser.js';

export const NEVER_LIST_CATEGORIES = ['crawler', 'cdn', 'health-checker', 'resolver', 'own-infrastructure', 'research-scanner'] as const;

export interface NeverListMatch {
  readonly category: string;
  /** the list the block was imported from (`quorum never-list import ... --source`) */
  readonly source: string;
}

/**
 * The never-list: operator categories of networks that are never listed (crawlers, CDNs, health
 * checkers, resolvers...), stored in `never_list_entry` and owned by consensus. It imports providers'
 * range files and dark canaries (the `quorum never-list` / `quorum canary` commands), and holds the
 * blocks in memory as a CidrSet for whoever matches addresses against them: the scoring engine (every
 * run refreshes it) and the lookup domain (an address inside a block is `benign`; refreshed
 * periodically by the lookup runtime). Special-purpose space is refused separately
 * (`src/common/ip/special-purpose.ts`).
 */
@Injectable()
export class NeverListService {
  private readonly logger = new Logger('NeverList');
  private set: CidrSet<NeverListMatch> = CidrSet.build<NeverListMatch>([]);
  private loadedOnce = false;

  constructor(
    private readonly repository: ConsensusRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Reads every block again; until the first refresh the list is empty. */
  async refresh(): Promise<void> {
    const rows = await this.repository.neverList();
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

  /** Whether one refresh has succeeded. */
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

  /** Replaces all entries of `source` with the file's ranges (atomic). */
  async importFile(path: string, category: string, source: string, service?: string): Promise<{ added: number; removed: number; invalid: string[] }> {
    if (!(NEVER_LIST_CATEGORIES as readonly string[]).includes(category)) {
      throw DomainError.badRequest(`category must be one of ${NEVER_LIST_CATEGORIES.join(', ')}`);
    }
    const parsed = parseRangeFile(await readFile(path, 'utf8'), { service });
    if (parsed.cidrs.length === 0) throw DomainError.badRequest(`no ranges found in ${path}`);
    const result = await this.repository.replaceNeverListSource(source, category, parsed.cidrs, this.clock.now());
    await this.audit.record('cli', 'never-list.imported', `never-list:${source}`, { category, added: result.added, removed: result.removed });
    return { ...result, invalid: parsed.invalid };
  }

  async addCanary(cidr: string, note: string | null): Promise<void> {
    const parsed = parseCidrOrIp(cidr);
    if (!parsed) throw DomainError.badRequest('not a CIDR or address');
    await this.repository.addCanary(parsed.text, note);
    await this.audit.record('cli', 'canary.added', null, null);
  }
}
