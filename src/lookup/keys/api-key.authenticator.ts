import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuthenticatorRegistry } from '../../common/auth/authenticator.registry.js';
import type { Authenticator, Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { LookupErrorCode } from '../lookup-error-codes.js';
import { ApiKeysService } from './api-keys.service.js';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Businesses: `x-api-key: qk_...`. Unknown, revoked or malformed keys get 401 `invalid_api_key`; a key
 * of a suspended organisation gets 403 `organization_suspended` (docs/operators.md "Suspension").
 */
@Injectable()
export class ApiKeyAuthenticator implements Authenticator, OnModuleInit {
  readonly kind = 'apiKey' as const;

  constructor(
    private readonly registry: AuthenticatorRegistry,
    private readonly keys: ApiKeysService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async authenticate(request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal | null> {
    const header = request.headers[API_KEY_HEADER];
    if (header === undefined) return null;
    const principal = await this.keys.resolve(typeof header === 'string' ? header.trim() : '');
    if (!principal) throw DomainError.unauthorized('Unknown or revoked API key', 'invalid_api_key');
    if (principal.suspended) {
      throw new DomainError(LookupErrorCode.OrganizationSuspended, 'This organisation is suspended: its API keys are refused until Quorum resumes it (contact support)');
    }
    return principal;
  }
}
