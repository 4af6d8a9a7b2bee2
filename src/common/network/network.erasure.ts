import { Injectable, Module } from '@nestjs/common';
import { DataLifecycleProvider, NoIpDataLifecycle, NOTHING, type Removed } from '../../privacy/data-lifecycle.js';
import { NetworkIdentityService } from './network-identity.service.js';

/** Network pseudonym keys' retention (docs/privacy.md R6): rotation, and a retired key's secret destroyed. */
@DataLifecycleProvider()
@Injectable()
export class NetworkKeysLifecycle extends NoIpDataLifecycle {
  readonly domain = 'common' as const;
  readonly tables = ['network_key'] as const;
  readonly stage = 50;

  constructor(private readonly network: NetworkIdentityService) {
    super();
  }

  async identifiersOf(): Promise<string[]> {
    return [];
  }

  async eraseOrganization(): Promise<Removed> {
    return NOTHING;
  }

  override async applyRetention(now: Date): Promise<Removed> {
    return { network_key: (await this.network.rotateKeys(now)).destroyed };
  }
}

@Module({ providers: [NetworkKeysLifecycle] })
export class NetworkKeysErasureModule {}
