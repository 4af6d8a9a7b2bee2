import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiSecurity } from '@nestjs/swagger';
import { authenticatorKinds } from './authorization.js';
import { type Permission, ruleOf } from './authorization-table.js';

export type { AuthKind } from './auth-kind.js';
export type { OperatorRole } from './principal-class.js';

export const AUTH_METADATA = 'quorum:auth';

/**
 * One decorator per route: names the route's row of the authorization table (authorization-table.ts),
 * which the global guard enforces, and documents the row's security schemes in OpenAPI.
 */
export function Auth(permission: Permission): MethodDecorator & ClassDecorator {
  const docs = authenticatorKinds(ruleOf(permission)).map((kind) => {
    if (kind === 'agent') return ApiBearerAuth('agent-jwt');
    if (kind === 'apiKey') return ApiSecurity('api-key');
    if (kind === 'member') return ApiCookieAuth('member-session');
    return ApiCookieAuth('operator-session');
  });
  return applyDecorators(SetMetadata(AUTH_METADATA, permission), ...docs);
}
