import { Global, Module } from '@nestjs/common';
import { AuthenticatorRegistry } from './authenticator.registry.js';

@Global()
@Module({ providers: [AuthenticatorRegistry], exports: [AuthenticatorRegistry] })
export class AuthModule {}
