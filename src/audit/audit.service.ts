import { Injectable } from '@nestjs/common';
import { Clock } from '../infra/clock/clock.js';
import { GENESIS_HASH, verifyChain, type StoredAuditEntry } from './audit-chain.js';
import { AuditRepository } from './audit.repository.js';
import { entrySubjects, entryTokens, pseudonymiseEntry, resolveEntry } from './audit-pseudonyms.js';

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
