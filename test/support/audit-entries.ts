import type { INestApplicationContext } from '@nestjs/common';
import { AuditService } from '../../src/audit/audit.service.js';
import type { StoredAuditEntry } from '../../src/audit/audit-chain.js';

/**
 * Audit entries as an operator reads them (src/audit/audit.service.ts `recent`): identifiers are stored
 * as keyed pseudonyms (docs/privacy.md R11) and shown as ids while their subject exists, so tests look
 * entries up here rather than by the raw ids in SQL.
 */
export async function auditEntries(app: INestApplicationContext, where: Partial<Pick<StoredAuditEntry, 'actor' | 'target' | 'action'>> & { actionPrefix?: string } = {}): Promise<StoredAuditEntry[]> {
  const entries = (await app.get(AuditService).recent(5_000)).reverse();
  return entries.filter(
    (e) =>
      (where.actor === undefined || e.actor === where.actor) &&
      (where.target === undefined || e.target === where.target) &&
      (where.action === undefined || e.action === where.action) &&
      (where.actionPrefix === undefined || e.action.startsWith(where.actionPrefix)),
  );
}
