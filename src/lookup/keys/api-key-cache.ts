import type { Principal } from '../../common/auth/principal.js';

export type ApiKeyPrincipal = Extract<Principal, { kind: 'apiKey' }>;

interface Entry {
  principal: ApiKeyPrincipal;
  expiresAtMs: number;
}

/**
 * Resolved API keys by SHA-256, so the lookup path never reads the database per request. Entries are
 * dropped by invalidation messages (revocation, plan change) and, as a safety net for a missed message,
 * expire after `ttlMs`. Unknown hashes are remembered briefly (bounded) so a flood of bad keys does not
 * reach the database.
 */
export class ApiKeyCache {
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly unknownTtlMs: number,
    private readonly maxUnknown = 10_000,
  ) {}

  /** The principal, null for a key known to be invalid, undefined when the cache cannot say. */
  get(hash: string, nowMs: number): ApiKeyPrincipal | null | undefined {
    const entry = this.known.get(hash);
    if (entry !== undefined) {
      if (entry.expiresAtMs > nowMs) return entry.principal;
      this.known.delete(hash);
      return undefined;
    }
    const until = this.unknown.get(hash);
    if (until === undefined) return undefined;
    if (until > nowMs) return null;
    this.unknown.delete(hash);
    return undefined;
  }

  /** Remembers a resolution; a key that expires (`untilMs`) is never served from here past that instant. */
  set(hash: string, principal: ApiKeyPrincipal | null, nowMs: number, untilMs = Number.POSITIVE_INFINITY): void {
    if (principal) {
      this.unknown.delete(hash);
      this.known.set(hash, { principal, expiresAtMs: Math.min(nowMs + this.ttlMs, untilMs) });
      return;
    }
    if (this.unknown.size >= this.maxUnknown) this.unknown.clear();
    this.unknown.set(hash, nowMs + this.unknownTtlMs);
  }

  dropHash(hash: string): void {
    this.known.delete(hash);
    this.unknown.delete(hash);
  }

  dropOrganization(organizationId: string): void {
    for (const [hash, entry] of this.known) if (entry.principal.organizationId === organizationId) this.known.delete(hash);
  }

  clear(): void {
    this.known.clear();
    this.unknown.clear();
  }

  get size(): number {
    return this.known.size;
  }
}
