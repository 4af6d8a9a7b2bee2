import { Injectable } from '@nestjs/common';
import type { AuthKind } from './auth-kind.js';
import type { Authenticator } from './principal.js';

@Injectable()
export class AuthenticatorRegistry {
  private readonly byKind = new Map<AuthKind, Authenticator>();

  register(authenticator: Authenticator): void {
    this.byKind.set(authenticator.kind, authenticator);
  }

  get(kind: AuthKind): Authenticator | undefined {
    return this.byKind.get(kind);
  }
}
