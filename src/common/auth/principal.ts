import type { AuthKind } from './auth-kind.js';
import type { MemberRole, OperatorRole } from './principal-class.js';

/** Who made the request, attached to the request by the guard. */
export type Principal =
  | {
      kind: 'agent';
      agentId: string;
      organizationId: string;
      tokenId?: string;
      /** quorum, honeypot or crowdsec (the agent record the authenticator re-read) */
      agentKind?: string;
      /** when the agent last pushed an accepted signal (the blocklist view it gets), from the same record */
      lastSignalAt?: Date | null;
    }
  /** `suspended`: the key's organisation is suspended (the API-key authenticator refuses it with 403). */
  | { kind: 'apiKey'; apiKeyId: string; organizationId: string; scopes: string[]; planId: string; suspended?: true }
  | { kind: 'operator'; operatorId: string; role: OperatorRole; organizationId: string | null }
  /** A person of a customer organisation (src/members), never staff: always bound to its organisation. */
  | { kind: 'member'; memberId: string; role: MemberRole; organizationId: string };

/** A domain that can authenticate one kind of principal registers one of these. */
export interface Authenticator {
  readonly kind: AuthKind;
  /** Returns the principal, null when the request carries no credential of this kind, throws on a bad one. */
  authenticate(request: unknown): Promise<Principal | null>;
}

export const PRINCIPAL_KEY = 'quorumPrincipal';
