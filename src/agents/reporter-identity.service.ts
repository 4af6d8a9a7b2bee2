import { Injectable } from '@nestjs/common';
import { pseudonym } from '../common/crypto/pseudonym.js';
import { DomainError } from '../common/errors/domain-error.js';
import { OrganizationsRepository } from './organizations.repository.js';

export interface ReporterIdentity {
  /** HMAC of the agent id under its organisation's key */
  reporter: string;
  /** HMAC of the organisation id under the same key (one vote per owner) */
  owner: string;
}

/** HMAC of the agent id under its organisation's key: the input format lives only here. */
function reporterPseudonym(secret: Buffer, agentId: string): string {
  return pseudonym(secret, `agent:${agentId}`);
}

/** HMAC of the organisation id under its own key (one vote per owner). */
function ownerPseudonym(secret: Buffer, organizationId: string): string {
  return pseudonym(secret, `org:${organizationId}`);
}

/**
 * Reporter pseudonyms for the signal and scoring tables (GDPR R5): computed under a per-organisation
 * key that lives apart from the signal store, so destroying the key unlinks the signals.
 */
@Injectable()
export class ReporterIdentityService {
  private readonly secrets = new Map<string, Buffer>();

  constructor(private readonly organizations: OrganizationsRepository) {}

  async identify(organizationId: string, agentId: string): Promise<ReporterIdentity> {
    let secret = this.secrets.get(organizationId);
    if (!secret) {
      const loaded = await this.organizations.reporterSecret(organizationId);
      if (!loaded) throw DomainError.forbidden('This organisation can no longer report');
      secret = loaded;
      this.secrets.set(organizationId, secret);
    }
    return { reporter: reporterPseudonym(secret, agentId), owner: ownerPseudonym(secret, organizationId) };
  }

  /**
   * The pseudonyms an erasure must find (its owner and every agent's reporter), computed here, the one
   * place their input formats live; null once the organisation's key is destroyed.
   */
  async pseudonymsForErasure(organizationId: string, agentIds: readonly string[]): Promise<{ owner: string; reporters: string[] } | null> {
    const secret = await this.organizations.reporterSecret(organizationId);
    if (!secret) return null;
    return { owner: ownerPseudonym(secret, organizationId), reporters: agentIds.map((id) => reporterPseudonym(secret, id)) };
  }

  /** Owner pseudonyms of the organisations vouched for as `internal` (their key still exists). */
  async internalOwners(): Promise<string[]> {
    const out: string[] = [];
    for (const id of await this.organizations.idsOfKind('internal')) {
      const secret = this.secrets.get(id) ?? (await this.organizations.reporterSecret(id));
      if (!secret) continue;
      this.secrets.set(id, secret);
      out.push(ownerPseudonym(secret, id));
    }
    return out;
  }

  /** Called when an organisation's key is destroyed. */
  forget(organizationId: string): void {
    this.secrets.delete(organizationId);
  }
}
