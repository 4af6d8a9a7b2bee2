import { DomainError } from '../errors/domain-error.js';
import type { AuthKind } from './auth-kind.js';
import { type AccessRule, type OrganizationSource, type Permission, ruleOf } from './authorization-table.js';
import type { Principal } from './principal.js';
import { actsAcrossOrganizations, classOf, type PrincipalClass } from './principal-class.js';

/** The authenticators that can produce a principal of a class (bouncer keys have none: their route checks them). */
function kindOf(principalClass: PrincipalClass): AuthKind | null {
  if (principalClass === 'agent' || principalClass === 'watcher') return 'agent';
  if (principalClass === 'apiKey') return 'apiKey';
  if (principalClass === 'bouncerKey') return null;
  if (principalClass.startsWith('member:')) return 'member';
  return 'operator';
}

/** The authenticator kinds to try for a row, in the row's order. */
export function authenticatorKinds(rule: AccessRule): AuthKind[] {
  if (rule.allow === 'anyone') return [];
  const kinds: AuthKind[] = [];
  for (const principalClass of rule.allow) {
    const kind = kindOf(principalClass);
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/** What the guard knows about the request when it decides. */
export interface RequestFacts {
  params: Record<string, string | undefined>;
  body: unknown;
  /** The organisation of the resource named by `rule.organization` (looked up by the guard); undefined when unknown. */
  resourceOrganizationId?: string | null;
}

/** The organisation id a row reads straight from the request (path parameter or body field). */
export function directOrganizationId(source: OrganizationSource, facts: RequestFacts): string | undefined {
  if ('body' in source) {
    const value = facts.body !== null && typeof facts.body === 'object' ? (facts.body as Record<string, unknown>)[source.body] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  if ('resource' in source) return facts.resourceOrganizationId ?? undefined;
  return facts.params[source.param];
}

/**
 * The one decision: null when the row lets this principal make this request, else the error to answer.
 * Callers authenticate first (no principal is a 401 they raise themselves).
 */
export function refusal(rule: AccessRule, principal: Principal, facts: RequestFacts): DomainError | null {
  if (rule.allow === 'anyone') return null;
  const principalClass = classOf(principal);
  if (!rule.allow.includes(principalClass)) return DomainError.forbidden('Your role does not allow this action');
  if (rule.scopes && principal.kind === 'apiKey' && !rule.scopes.some((s) => principal.scopes.includes(s))) {
    return DomainError.forbidden(`This API key lacks the scope: ${rule.scopes.join(' or ')}`);
  }
  if (rule.self && !(principal.kind === 'agent' && facts.params[rule.self.param] === principal.agentId)) {
    return DomainError.forbidden('An agent can act only on itself');
  }
  if (rule.organization && !actsAcrossOrganizations(principalClass)) {
    const target = directOrganizationId(rule.organization, facts);
    // Unknown resources and other organisations' resources get the same answer: ids reveal nothing.
    if (!target || !principal.organizationId || target.toLowerCase() !== principal.organizationId.toLowerCase()) {
      return DomainError.forbidden('This belongs to another organisation');
    }
  }
  return null;
}

/** Whether a row grants a principal a request (for routes that check a finer row of their own, e.g. `explain.detail`). */
export function grants(permission: Permission, principal: Principal | null | undefined, facts: RequestFacts = { params: {}, body: undefined }): boolean {
  const rule = ruleOf(permission);
  if (rule.allow === 'anyone') return true;
  return principal ? refusal(rule, principal, facts) === null : false;
}
