import { Global, Module } from '@nestjs/common';
import { NetworkIdentityService } from './network-identity.service.js';
import { NetworkKeysRepository } from './network-keys.repository.js';

@Global()
@Module({ providers: [NetworkIdentityService, NetworkKeysRepository], exports: [NetworkIdentityService] })
export class NetworkModule {}
