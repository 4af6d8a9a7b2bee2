import { Injectable, Module } from '@nestjs/common';
import { type DataLifecycle, DataLifecycleProvider, NO_IPS, NOTHING, type Removed } from '../../privacy/data-lifecycle.js';
import { NetworkIdentityService } from './network-identity.service.js';

/** Network pseudonym keys' retention (docs/privacy.md R6): rotation, and a retired key's secret destroyed. */
@DataLifecycleProvider()
@Injectable()
export class NetworkKeysLifecycle implements DataLifecycle {
  readonly domain = 'common' as const;
  readonly tables = ['network_key'] as const;
  readonly stage = 50;

  constructor(private readonly network: NetworkIdentityService) {}

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(): Promise<Removed> {
    return NOTHING;
  }

  async eraseIp(): Promise<Removed> {
    return NOTHING;
  }

  async applyRetention(now: Date): Promise<Removed> {
    return { network_key: (await this.network.rotateKeys(now)).destroyed };
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return {};
  }

  async heldIps(): Promise<typeof NO_IPS> {
    return NO_IPS;
  }
}

@Module({ providers: [NetworkKeysLifecycle] })
export class NetworkKeysErasureModule {}
