import type { Principal } from './principal.js';

export const OPERATOR_ROLES = ['admin', 'billing', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * The kinds of caller the authorization table names (docs/security.md, "Authorization").
 * - `agent` (Quorum's own agents, honeypots), `watcher` (CrowdSec engines), `apiKey`, `bouncerKey`:
 *   credentials of one organisation.
 * - `org:<role>`: an operator attached to an organisation; acts on that organisation only.
 * - `staff:<role>`: a Quorum operator (no organisation); acts across organisations, as far as each row allows.
 * A new kind of principal (for instance customer members with their roles) is one more member of this
 * union, one more case in `classOf`, and the rows that grant it.
 */
export type PrincipalClass = 'agent' | 'watcher' | 'apiKey' | 'bouncerKey' | `org:${OperatorRole}` | `staff:${OperatorRole}`;

export const ORGANIZATION_OPERATORS: readonly PrincipalClass[] = OPERATOR_ROLES.map((role) => `org:${role}` as const);
export const STAFF_OPERATORS: readonly PrincipalClass[] = OPERATOR_ROLES.map((role) => `staff:${role}` as const);

/** Every class, in the order the matrix test walks them. */
export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = ['agent', 'watcher', 'apiKey', 'bouncerKey', ...ORGANIZATION_OPERATORS, ...STAFF_OPERATORS];

export function classOf(principal: Principal): PrincipalClass {
  switch (principal.kind) {
    case 'agent':
      return principal.agentKind === 'crowdsec' ? 'watcher' : 'agent';
    case 'apiKey':
      return 'apiKey';
    case 'operator':
      return principal.organizationId ? `org:${principal.role}` : `staff:${principal.role}`;
  }
}

/** Staff classes act across organisations; every other class only inside its own organisation. */
export function actsAcrossOrganizations(principalClass: PrincipalClass): boolean {
  return principalClass.startsWith('staff:');
}

/** The organisation a principal belongs to (null for staff). */
export function organizationOf(principal: Principal): string | null {
  return principal.organizationId;
}

/** The audit actor of a principal: `operator:<id>`, `agent:<id>` or `api_key:<id>`. */
export function auditActor(principal: Principal): string {
  switch (principal.kind) {
    case 'agent':
      return `agent:${principal.agentId}`;
    case 'apiKey':
      return `api_key:${principal.apiKeyId}`;
    case 'operator':
      return `operator:${principal.operatorId}`;
  }
}
