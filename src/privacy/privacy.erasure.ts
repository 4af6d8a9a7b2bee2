import { Injectable } from '@nestjs/common';
import { type DataLifecycle, DataLifecycleProvider, NO_IPS, NOTHING, type IpSubject, type Removed } from './data-lifecycle.js';
import type { RetentionCutoffs } from './retention-policy.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';

/**
 * Privacy's own tables under the contract (docs/privacy.md R8-R10, R13): requests and the erasure ledger (pruned by the backup or retention job against the oldest kept backup).
 */
@DataLifecycleProvider()
@Injectable()
export class PrivacyLifecycle implements DataLifecycle {
  readonly domain = 'privacy' as const;
  readonly tables = ['privacy_request', 'erasure_ledger'] as const;
  readonly stage = 50;

  constructor(private readonly requests: PrivacyRequestsRepository) {}

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(): Promise<Removed> {
    return NOTHING;
  }

  async eraseIp(s: IpSubject): Promise<Removed> {
    return { privacy_request: await this.requests.supersedePending(s.address, s.requestId, s.now) };
  }

  async applyRetention(_now: Date, cut: RetentionCutoffs): Promise<Removed> {
    return { privacy_request: await this.requests.deleteExpired(cut.privacyRequest, cut.pendingPrivacyRequest) };
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return { privacy_request: await this.requests.oldest() };
  }

  async heldIps(): Promise<typeof NO_IPS> {
    return NO_IPS;
  }
}
