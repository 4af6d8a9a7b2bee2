import { Inject, Injectable } from '@nestjs/common';
import { OrganizationsService } from '../../agents/organizations.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { hashToken, issueToken } from '../../common/crypto/secret-token.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Clock } from '../../infra/clock/clock.js';
import { LookupBus } from '../events/lookup-bus.js';
import { LookupPlansService } from '../plans/lookup-plans.service.js';
import { ApiKeyCache, type ApiKeyPrincipal } from './api-key-cache.js';
import { type ApiKeyRecord, ApiKeysRepository } from './api-keys.repository.js';

/** `usage` is read-only: the key's organisation's usage (GET /v1/organizations/{id}/usage). */
export const API_KEY_SCOPES = ['lookup', 'blocklist', 'bouncer', 'usage', 'mirror'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const API_KEY_KIND = 'qk';
const UNKNOWN_KEY_TTL_MS = 5_000;
const MAX_KEY_LENGTH = 100;
const MAX_MEMO_HASHES = 10_000;
/** The furthest expiry a key may be given (a key meant to last longer has none, and is revoked). */
export const MAX_KEY_LIFETIME_MS = 2 * 366 * 86_400_000;

/**
 * Lookup API keys: shown once at creation, stored as a SHA-256 with a visible prefix, resolved from an
 * in-memory cache on the hot path. Revocations reach every replica through the lookup bus.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache: ApiKeyCache;
  private readonly loads = new Map<string, Promise<ApiKeyPrincipal | null>>();
  private readonly hashes = new Map<string, string>();
  /** bumped by every invalidation: a load that straddles one must not cache its (maybe stale) result */
  private epoch = 0;

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly organizations: OrganizationsService,
    private readonly plans: LookupPlansService,
    private readonly bus: LookupBus,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new ApiKeyCache(config.lookup.keyCacheSeconds * 1000, UNKNOWN_KEY_TTL_MS);
    bus.on((message) => {
      this.epoch++;
      if (message.t === 'key') this.cache.dropHash(message.hash);
      else if (message.t === 'org') this.cache.dropOrganization(message.org);
    });
    bus.onResync(() => {
      this.epoch++;
      this.cache.clear();
    });
  }

  async create(organizationId: string, name: string, scopes: ApiKeyScope[], actor: string, expiresAt: Date | null = null): Promise<{ key: string; record: ApiKeyRecord }> {
    const nowMs = this.clock.nowMs();
    if (expiresAt && (expiresAt.getTime() <= nowMs || expiresAt.getTime() > nowMs + MAX_KEY_LIFETIME_MS)) {
      throw DomainError.badRequest('expires_at must be in the future, at most two years ahead (leave it out for a key that lasts until revoked)');
    }
    const organization = await this.organizations.findById(organizationId);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    const issued = issueToken(API_KEY_KIND);
    const record = await this.keys.create({ organizationId, name, prefix: issued.prefix, keyHash: issued.hash, scopes: [...new Set(scopes)], createdBy: actor, expiresAt });
    await this.audit.record(actor, 'api_key.created', `api_key:${record.id}`, { organizationId, prefix: record.prefix, scopes: record.scopes, expiresAt: record.expiresAt?.toISOString() ?? null });
    await this.bus.publish({ t: 'key', hash: issued.hash });
    return { key: issued.token, record };
  }

  list(organizationId: string): Promise<ApiKeyRecord[]> {
    return this.keys.listByOrganization(organizationId);
  }

  async revoke(organizationId: string, id: string, actor: string): Promise<ApiKeyRecord> {
    const record = await this.keys.revoke(organizationId, id, this.clock.now());
    if (!record) throw DomainError.notFound('API key not found or already revoked');
    await this.audit.record(actor, 'api_key.revoked', `api_key:${id}`, { organizationId, prefix: record.prefix });
    await this.bus.publish({ t: 'key', hash: record.keyHash });
    return record;
  }

  /** For organisation erasure and account closure. */
  async revokeAllForOrganization(organizationId: string, actor = 'system'): Promise<number> {
    const hashes = await this.keys.revokeAll(organizationId, this.clock.now());
    if (hashes.length > 0) await this.audit.record(actor, 'api_key.revoked_all', `organization:${organizationId}`, { count: hashes.length });
    await this.bus.publish({ t: 'org', org: organizationId });
    for (const hash of hashes) await this.bus.publish({ t: 'key', hash });
    return hashes.length;
  }

  /** Every replica forgets the organisation's cached keys (after a suspension or a resumption). */
  async refreshOrganization(organizationId: string): Promise<void> {
    await this.bus.publish({ t: 'org', org: organizationId });
  }

  /** The principal behind an `x-api-key` value, or null (unknown, revoked, expired, malformed). */
  resolve(token: string): ApiKeyPrincipal | null | Promise<ApiKeyPrincipal | null> {
    if (token.length === 0 || token.length > MAX_KEY_LENGTH || !token.startsWith(`${API_KEY_KIND}_`)) return null;
    const hash = this.hashOf(token);
    const cached = this.cache.get(hash, this.clock.nowMs());
    if (cached !== undefined) return cached;
    let load = this.loads.get(hash);
    if (!load) {
      load = this.load(hash).finally(() => this.loads.delete(hash));
      this.loads.set(hash, load);
    }
    return load;
  }

  /** SHA-256 of recently seen keys (a hash per request is a measurable share of a lookup); bounded. */
  private hashOf(token: string): string {
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      if (this.hashes.size >= MAX_MEMO_HASHES) this.hashes.clear();
      hash = hashToken(token);
      this.hashes.set(token, hash);
    }
    return hash;
  }

  private async load(hash: string): Promise<ApiKeyPrincipal | null> {
    const epoch = this.epoch;
    const record = await this.keys.findActiveByHash(hash, this.clock.now());
    let principal: ApiKeyPrincipal | null = null;
    if (record) {
      const organization = await this.organizations.findById(record.organizationId);
      if (organization && !organization.erasedAt) {
        const planId = await this.plans.planIdOf(record.organizationId);
        const base = { kind: 'apiKey' as const, apiKeyId: record.id, organizationId: record.organizationId, scopes: record.scopes, planId };
        principal = Object.freeze(organization.suspendedAt ? { ...base, suspended: true as const } : base);
      }
    }
    if (epoch === this.epoch) this.cache.set(hash, principal, this.clock.nowMs(), record?.expiresAt?.getTime());
    return principal;
  }
}
