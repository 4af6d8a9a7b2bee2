import { Global, Module } from '@nestjs/common';
import { NetworkIdentityService } from './network-identity.service.js';

@Global()
@Module({ providers: [NetworkIdentityService], exports: [NetworkIdentityService] })
export class NetworkModule {}
