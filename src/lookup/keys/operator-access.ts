import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';

/**
 * Who may manage an organisation's lookup keys: admins for any organisation, other operators only for
 * the organisation they belong to. Returns the audit actor.
 */
export function organizationActor(principal: Principal, organizationId: string): string {
  if (principal.kind !== 'operator') throw DomainError.forbidden();
  if (principal.role !== 'admin' && principal.organizationId !== organizationId) {
    throw DomainError.forbidden('Operators manage only the keys of their own organisation');
  }
  return `operator:${principal.operatorId}`;
}
