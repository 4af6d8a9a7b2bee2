import { type MemberRole, MEMBERS, ORGANIZATION_OPERATORS, type PrincipalClass, STAFF_OPERATORS } from './principal-class.js';

/** Resources whose organisation the guard looks up by id (a domain registers a resolver for each). */
export type ScopedResource = 'agent';

/** Where the guard reads the organisation a request acts on. */
export type OrganizationSource =
  | { readonly param: string }
  | { readonly body: string }
  | { readonly resource: ScopedResource; readonly param: string };

export interface AccessRule {
  /** Who may call: `anyone`, or the principal classes of principal-class.ts. */
  readonly allow: 'anyone' | readonly PrincipalClass[];
  /** API keys need one of these scopes. */
  readonly scopes?: readonly string[];
  /**
   * The organisation the request acts on. Classes bound to an organisation (agents, keys, `org:*`
   * operators) pass only when it is their own; `staff:*` classes act on any organisation.
   */
  readonly organization?: OrganizationSource;
  /** Agents may act only on themselves: this path parameter must be the calling agent's id. */
  readonly self?: { readonly param: string };
  /**
   * `route`: the credential is one the guard does not know (CrowdSec bouncer keys, answered in LAPI's
   * own refusal shape) or a capability in the URL; the route applies this row itself, and the
   * authorization matrix test holds it to the row like every other route.
   */
  readonly enforcedBy?: 'route';
  /** Not a route of its own: a finer permission the named route checks for extra detail. */
  readonly within?: string;
}

const org = (...roles: Array<'admin' | 'billing' | 'support'>): PrincipalClass[] => ORGANIZATION_OPERATORS.filter((c) => roles.some((r) => c === `org:${r}`));
const staff = (...roles: Array<'admin' | 'billing' | 'support'>): PrincipalClass[] => STAFF_OPERATORS.filter((c) => roles.some((r) => c === `staff:${r}`));
/** Customer members (src/members) with one of these roles, inside their own organisation only. */
const member = (...roles: MemberRole[]): PrincipalClass[] => MEMBERS.filter((c) => roles.some((r) => c === `member:${r}`));
const ANY_MEMBER: PrincipalClass[] = [...MEMBERS];
const ANY_OPERATOR: PrincipalClass[] = [...ORGANIZATION_OPERATORS, ...STAFF_OPERATORS];
const ANYONE = 'anyone' as const;

/**
 * THE authorization table: every route names one row with `@Auth('<row>')`, the global AuthGuard
 * enforces it (kind, role, API-key scope, organisation of the resource vs organisation of the caller),
 * a boot check refuses a route without a row, and test/e2e/authorization-matrix.e2e-spec.ts walks every
 * route x every principal class x a resource of the caller's organisation and of another one.
 * The policy in words: docs/security.md, "Authorization".
 */
export const AUTHORIZATION_TABLE = {
  // ---- open to anyone (each route checks what it needs: a signature, a proof token, a capability) ----
  'health.live': { allow: ANYONE },
  'health.ready': { allow: ANYONE },
  'health.metrics': { allow: ANYONE },
  'dashboard.page': { allow: ANYONE },
  /** The public IP-holder pages (/, /check, /ip/{ip}): static files; their data comes from public routes. */
  'holder.page': { allow: ANYONE },
  'agents.enroll': { allow: ANYONE },
  'agents.login': { allow: ANYONE },
  'operators.login': { allow: ANYONE },
  // two-factor enrolment: the route checks the email and password itself (throttled like the login)
  'operators.totpEnrol': { allow: ANYONE },
  'watchers.register': { allow: ANYONE },
  'watchers.login': { allow: ANYONE },
  'crowdsec.capabilityList': { allow: ANYONE, enforcedBy: 'route' },
  'billing.webhook': { allow: ANYONE },
  'explain.read': { allow: ANYONE },
  /** Scores, ASNs and voter pseudonyms in the explain answer: staff only (they describe every organisation's reporters). */
  'explain.detail': { allow: staff('admin', 'billing', 'support'), within: 'explain.read' },
  'delisting.create': { allow: ANYONE },
  'delisting.verify': { allow: ANYONE },
  /** A reasoned review instead of a proof (carrier NAT): the request token is the credential. */
  'delisting.reviewRequest': { allow: ANYONE },
  'delisting.status': { allow: ANYONE },
  'privacy.ipRequest.create': { allow: ANYONE },
  'privacy.ipRequest.verify': { allow: ANYONE },
  'privacy.request.status': { allow: ANYONE },
  /** The public price list (GET /v1/plans). */
  'plans.public': { allow: ANYONE },
  // customer members: sign-up and the links they receive by email (each route checks its one-use token)
  'members.signup': { allow: ANYONE },
  'members.verifyEmail': { allow: ANYONE },
  'members.resendVerification': { allow: ANYONE },
  'members.login': { allow: ANYONE },
  'members.passwordResetRequest': { allow: ANYONE },
  'members.passwordReset': { allow: ANYONE },
  'members.invitationAccept': { allow: ANYONE },
  /** Development only: the route answers 404 unless no SMTP server is configured, outside production, from loopback. */
  'members.devOutbox': { allow: ANYONE },
  /** The customer portal page (/app): static files; its data comes from the member routes. */
  'portal.page': { allow: ANYONE },
  /** Test probes and similar undocumented helpers only: the matrix test refuses it on documented routes. */
  public: { allow: ANYONE },

  // ---- agents and CrowdSec watchers (their own organisation, or themselves) ----
  'agents.listOwn': { allow: ['agent', 'watcher'] },
  'agents.rotateKey': { allow: ['agent'], self: { param: 'id' } },
  'signals.push': { allow: ['agent'] },
  'watchers.enroll': { allow: ['watcher'] },
  'crowdsec.signals': { allow: ['watcher'] },
  'crowdsec.decisions': { allow: ['watcher'] },
  'crowdsec.metrics': { allow: ['watcher'] },
  'crowdsec.usageMetrics': { allow: ['watcher'] },
  'crowdsec.decisionsDelete': { allow: ['watcher'] },
  /** Proof of control of a listed IP from an agent running on it (the request token, sent from the IP). */
  'delisting.agentProof': { allow: ['agent', 'watcher'] },

  // ---- blocklist and lookups ----
  'blocklist.download': { allow: ['agent', 'watcher', 'apiKey'] },
  'blocklist.changes': { allow: ['agent', 'watcher', 'apiKey'] },
  /** Served by FastLookupRoute (src/lookup/fast-lookup-route.ts), which applies this row itself. */
  'lookup.ip': { allow: ['apiKey'], scopes: ['lookup'] },
  'lookup.bulk': { allow: ['apiKey'], scopes: ['lookup'] },
  'lookup.range': { allow: ['apiKey'], scopes: ['lookup'] },
  'bouncer.stream': { allow: ['bouncerKey'], enforcedBy: 'route' },
  /** The local mirror feed (src/lookup/mirror): keys with the `mirror` scope; the plan's `mirror` view is checked by the route (402). */
  'mirror.snapshot': { allow: ['apiKey'], scopes: ['mirror'] },
  'mirror.deltas': { allow: ['apiKey'], scopes: ['mirror'] },
  /** The feed's Ed25519 public key, for agents to pin. */
  'mirror.publicKey': { allow: ANYONE },

  // ---- operators: their session ----
  'operators.me': { allow: ANY_OPERATOR },
  'operators.logout': { allow: ANY_OPERATOR },
  // ---- customer members: their session, their organisation's members ----
  'members.me': { allow: ANY_MEMBER },
  'members.logout': { allow: ANY_MEMBER },
  'members.passwordChange': { allow: ANY_MEMBER },
  'members.totp': { allow: ANY_MEMBER },
  'members.list': { allow: ANY_MEMBER, organization: { param: 'id' } },
  /** Granting, changing or removing `owner` is for owners only, and the last owner stays (checked by the route). */
  'members.invite': { allow: member('owner', 'admin'), organization: { param: 'id' } },
  'members.remove': { allow: member('owner', 'admin'), organization: { param: 'id' } },
  'members.setRole': { allow: member('owner', 'admin'), organization: { param: 'id' } },

  // ---- an organisation's agents and credentials ----
  'agents.revoke': { allow: [...org('admin', 'support'), ...staff('admin', 'support'), ...member('owner', 'admin', 'developer')], organization: { resource: 'agent', param: 'id' } },
  'agents.list': { allow: [...org('admin', 'support'), ...staff('admin', 'support'), ...member('owner', 'admin', 'developer', 'viewer')], organization: { param: 'id' } },
  'enrollmentKeys.list': { allow: [...org('admin', 'support'), ...staff('admin', 'support'), ...member('owner', 'admin', 'developer', 'viewer')], organization: { param: 'id' } },
  'enrollmentKeys.create': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'id' } },
  'enrollmentKeys.revoke': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'id' } },
  'apiKeys.list': { allow: [...org('admin', 'support'), ...staff('admin', 'support'), ...member('owner', 'admin', 'developer', 'viewer')], organization: { param: 'id' } },
  'apiKeys.create': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'id' } },
  'apiKeys.revoke': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'id' } },
  'bouncerKeys.list': { allow: [...org('admin', 'support'), ...staff('admin', 'support'), ...member('owner', 'admin', 'developer', 'viewer')], organization: { param: 'organizationId' } },
  'bouncerKeys.create': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'organizationId' } },
  'bouncerKeys.revoke': { allow: [...org('admin', 'support'), ...staff('admin'), ...member('owner', 'admin', 'developer')], organization: { param: 'organizationId' } },

  // ---- an organisation's usage, plan and billing ----
  /** API keys need the read-only `usage` scope (a key reads its own organisation's usage, nothing else). */
  'usage.read': { allow: [...ANY_OPERATOR, ...ANY_MEMBER, 'apiKey'], scopes: ['usage'], organization: { param: 'id' } },
  /** Active local mirrors per day (the mirror meter), like the lookup usage. */
  'mirrorUsage.read': { allow: [...ANY_OPERATOR, ...ANY_MEMBER, 'apiKey'], scopes: ['usage'], organization: { param: 'id' } },
  'organizationPlan.read': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing'), ...member('owner', 'admin', 'billing', 'viewer')], organization: { param: 'id' } },
  'invoices.list': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing'), ...member('owner', 'admin', 'billing', 'viewer')], organization: { param: 'id' } },
  /** Plans change through Stripe events, or through this audited admin action. */
  'organizationPlan.set': { allow: staff('admin'), organization: { param: 'id' } },
  'billing.checkout': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing'), ...member('owner', 'admin', 'billing')], organization: { body: 'organization_id' } },
  'billing.planChange': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing'), ...member('owner', 'admin', 'billing')], organization: { body: 'organization_id' } },
  'billing.portal': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing'), ...member('owner', 'admin', 'billing')], organization: { body: 'organization_id' } },
  'dashboard.customer': { allow: [...org('admin', 'billing'), ...staff('admin', 'billing', 'support')], organization: { param: 'id' } },
  /** A customer closes its account: its owner erases the organisation. */
  'privacy.eraseOrganization': { allow: [...org('admin', 'billing', 'support'), ...staff('admin'), ...member('owner')], organization: { param: 'id' } },

  // ---- staff only: data about every organisation, plan definitions, delisting review ----
  'dashboard.overview': { allow: staff('admin', 'billing', 'support') },
  'dashboard.customers': { allow: staff('admin', 'billing', 'support') },
  'billing.reconciliation': { allow: staff('admin', 'billing') },
  'plans.list': { allow: staff('admin', 'billing') },
  'plans.read': { allow: staff('admin', 'billing') },
  'plans.update': { allow: staff('admin') },
  'delisting.list': { allow: staff('admin', 'support') },
  'delisting.review': { allow: staff('admin', 'support') },
  /** The operator console's work queues (src/admin/console, docs/operators.md). */
  'console.requests': { allow: staff('admin', 'support') },
  'console.agents': { allow: staff('admin', 'support') },
  'console.signalVolume': { allow: staff('admin', 'support') },
  'console.audit': { allow: staff('admin', 'billing', 'support') },
  /** Releases an agent from the scoring engine's quarantine (applied by the next scoring run, audited). */
  'agents.releaseQuarantine': { allow: staff('admin') },
  /** Listings: an IP's or a range's state, the operator explanation, the blocklist's version history. */
  'console.listings': { allow: staff('admin', 'support') },
  /** The console's revenue page and a customer's account with the staff actions on it (docs/operators.md). */
  'revenue.read': { allow: staff('admin', 'billing') },
  'customers.account': { allow: staff('admin', 'billing', 'support'), organization: { param: 'id' } },
  'organizations.suspend': { allow: staff('admin'), organization: { param: 'id' } },
  'organizations.resume': { allow: staff('admin'), organization: { param: 'id' } },
  'organizations.comp': { allow: staff('admin', 'billing'), organization: { param: 'id' } },
} as const satisfies Record<string, AccessRule>;

export type Permission = keyof typeof AUTHORIZATION_TABLE;

export function ruleOf(permission: Permission): AccessRule {
  return AUTHORIZATION_TABLE[permission];
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(AUTHORIZATION_TABLE, value);
}
