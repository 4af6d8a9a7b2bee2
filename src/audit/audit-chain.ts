import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

/** Deterministic JSON: object keys sorted, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, entry: AuditContent): string {
  const body = canonicalJson({ at: entry.at.toISOString(), actor: entry.actor, action: entry.action, target: entry.target, details: entry.details ?? null });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredAuditEntry extends AuditContent {
  id: bigint;
  prevHash: string;
  hash: string;
}

/** Checks a run of consecutive entries; returns the id of the first broken link, or null. */
export function verifyChain(entries: StoredAuditEntry[], expectedPrev: string): bigint | null {
  let prev = expectedPrev;
  for (const entry of entries) {
    if (entry.prevHash !== prev || auditHash(entry.prevHash, entry) !== entry.hash) return entry.id;
    prev = entry.hash;
  }
  return null;
}
