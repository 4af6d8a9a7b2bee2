import { Injectable } from '@nestjs/common';
import { Clock } from '../infra/clock/clock.js';
import { GENESIS_HASH, verifyChain, type StoredAuditEntry } from './audit-chain.js';
import { type AuditFilter, AuditRepository } from './audit.repository.js';
import { entrySubjects, entryTokens, pseudonymiseEntry, resolveEntry } from './audit-pseudonyms.js';

export type { AuditFilter } from './audit.repository.js';

/** Entries examined by one statement of a search (an id span of the primary key). */
export const AUDIT_SEARCH_SPAN = 10_000n;
/** Entries examined by one search call at most; `nextCursor` continues below them. */
export const AUDIT_SEARCH_BUDGET = 200_000n;

export interface AuditSearchPage {
  /** matching entries, newest first, identifiers of subjects still present resolved */
  entries: StoredAuditEntry[];
  /** where the next page starts (pass back as `before`); null when the whole log below was searched */
  nextCursor: string | null;
  /** entries examined by this call (ids in [lowest examined, cursor)) */
  examined: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  brokenAt: string | null;
}

/** The append-only, hash-chained audit log of operator and privacy actions (GDPR R11). */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends an entry. Identifiers it names (`operator:<id>`, `agent:<id>`, UUIDs and key prefixes in
   * the details) are stored as keyed pseudonyms that an organisation erasure unlinks (docs/privacy.md R11).
   */
  async record(actor: string, action: string, target: string | null = null, details: Record<string, unknown> | null = null): Promise<StoredAuditEntry> {
    const tokens = await this.repository.tokens(entrySubjects(actor, target, details));
    return this.repository.append(pseudonymiseEntry({ at: this.clock.now(), actor, action, target, details }, tokens));
  }

  /** The newest entries, pseudonyms of subjects still present shown as their identifiers. */
  async recent(limit = 50): Promise<StoredAuditEntry[]> {
    const entries = await this.repository.recent(limit);
    const subjects = await this.repository.subjects([...new Set(entries.flatMap(entryTokens))]);
    return entries.map((e) => resolveEntry(e, subjects));
  }

  /**
   * Entries matching `filter` over the whole log, newest first, below id `before` (the previous page's
   * cursor). The database filters (AuditRepository.search) one id span at a time, until `limit` matches
   * or AUDIT_SEARCH_BUDGET entries were examined; the cursor then says where to go on.
   */
  async search(filter: AuditFilter, before: bigint | null, limit: number): Promise<AuditSearchPage> {
    const bounds = await this.repository.idBounds();
    if (!bounds) return { entries: [], nextCursor: null, examined: 0 };
    const top = before === null || before > bounds.high ? bounds.high : before;
    const found: StoredAuditEntry[] = [];
    let high = top;
    while (high > bounds.low && top - high < AUDIT_SEARCH_BUDGET) {
      const low = high - AUDIT_SEARCH_SPAN > bounds.low ? high - AUDIT_SEARCH_SPAN : bounds.low;
      found.push(...(await this.repository.search(filter, low, high, limit + 1 - found.length)));
      if (found.length > limit) break;
      high = low;
      // nothing older can match a time range once no entry below is at or after its start
      if (filter.from && high > bounds.low && !(await this.repository.anyAtOrAfter(filter.from, high))) high = bounds.low;
    }
    let next: bigint | null = high > bounds.low ? high : null;
    if (found.length > limit) {
      found.length = limit;
      next = found[limit - 1].id;
    }
    const subjects = await this.repository.subjects([...new Set(found.flatMap(entryTokens))]);
    return { entries: found.map((e) => resolveEntry(e, subjects)), nextCursor: next === null ? null : next.toString(), examined: Number(top - (next ?? bounds.low)) };
  }

  /** The newest entries exactly as stored (pseudonymous; what the chain hashed). */
  stored(limit = 50): Promise<StoredAuditEntry[]> {
    return this.repository.recent(limit);
  }

  /**
   * Walks the whole chain; any edited, inserted or deleted row breaks a link. After retention pruned
   * old entries, the chain starts at the anchor (the hash of the last pruned entry).
   */
  async verify(): Promise<AuditVerification> {
    const anchor = await this.repository.anchor();
    let prev = anchor?.hash ?? GENESIS_HASH;
    let after = anchor?.afterId ?? 0n;
    let checked = 0;
    for (;;) {
      const page = await this.repository.page(after, 1_000);
      if (page.length === 0) return { ok: true, checked, brokenAt: null };
      const broken = verifyChain(page, prev);
      if (broken !== null) return { ok: false, checked, brokenAt: broken.toString() };
      checked += page.length;
      prev = page[page.length - 1].hash;
      after = page[page.length - 1].id;
    }
  }
}
