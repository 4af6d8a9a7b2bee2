import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiSecurity } from '@nestjs/swagger';

export type AuthKind = 'agent' | 'apiKey' | 'operator';
export type OperatorRole = 'admin' | 'billing' | 'support';

export interface AuthOptions {
  kinds: AuthKind[];
  roles?: OperatorRole[];
  scopes?: string[];
}

export const AUTH_METADATA = 'quorum:auth';

/** One decorator per route: guard metadata and OpenAPI security together. */
export function Auth(options: AuthOptions): MethodDecorator & ClassDecorator {
  const docs = options.kinds.map((kind) => {
    if (kind === 'agent') return ApiBearerAuth('agent-jwt');
    if (kind === 'apiKey') return ApiSecurity('api-key');
    return ApiCookieAuth('operator-session');
  });
  return applyDecorators(SetMetadata(AUTH_METADATA, options), ...docs);
}
