import type { Principal } from './principal.js';

export const OPERATOR_ROLES = ['admin', 'billing', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
/** Roles of customer members inside their organisation (src/members). */
export const MEMBER_ROLES = ['owner', 'admin', 'developer', 'billing', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * The kinds of caller the authorization table names (docs/security.md, "Authorization").
 * - `agent` (Quorum's own agents, honeypots), `watcher` (CrowdSec engines), `apiKey`, `bouncerKey`:
 *   credentials of one organisation.
 * - `org:<role>`: an operator attached to an organisation; acts on that organisation only.
 * - `staff:<role>`: a Quorum operator (no organisation); acts across organisations, as far as each row allows.
 * - `member:<role>`: a person of a customer organisation (src/members), signed in to the portal; acts on
 *   that organisation only, as its role allows.
 * A new kind of principal is one more member of this union, one more case in `classOf`, and the rows that grant it.
 */
export type PrincipalClass = 'agent' | 'watcher' | 'apiKey' | 'bouncerKey' | `org:${OperatorRole}` | `staff:${OperatorRole}` | `member:${MemberRole}`;

export const ORGANIZATION_OPERATORS: readonly PrincipalClass[] = OPERATOR_ROLES.map((role) => `org:${role}` as const);
export const STAFF_OPERATORS: readonly PrincipalClass[] = OPERATOR_ROLES.map((role) => `staff:${role}` as const);
export const MEMBERS: readonly PrincipalClass[] = MEMBER_ROLES.map((role) => `member:${role}` as const);

/** Every class, in the order the matrix test walks them. */
export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = ['agent', 'watcher', 'apiKey', 'bouncerKey', ...ORGANIZATION_OPERATORS, ...STAFF_OPERATORS, ...MEMBERS];

export function classOf(principal: Principal): PrincipalClass {
  switch (principal.kind) {
    case 'agent':
      return principal.agentKind === 'crowdsec' ? 'watcher' : 'agent';
    case 'apiKey':
      return 'apiKey';
    case 'operator':
      return principal.organizationId ? `org:${principal.role}` : `staff:${principal.role}`;
    case 'member':
      return `member:${principal.role}`;
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

/** The audit actor of a principal: `operator:<id>`, `member:<id>`, `agent:<id>` or `api_key:<id>`. */
export function auditActor(principal: Principal): string {
  switch (principal.kind) {
    case 'agent':
      return `agent:${principal.agentId}`;
    case 'apiKey':
      return `api_key:${principal.apiKeyId}`;
    case 'operator':
      return `operator:${principal.operatorId}`;
    case 'member':
      return `member:${principal.memberId}`;
  }
}
