/** Plain domain shapes returned by the agents repository (never Prisma types). */
export type AgentKindName = 'quorum' | 'crowdsec' | 'honeypot';
export type AgentStatusName = 'active' | 'revoked' | 'quarantined';

export interface AgentRecord {
  id: string;
  organizationId: string;
  kind: AgentKindName;
  name: string;
  machineId: string | null;
  passwordHash: string | null;
  publicKey: string | null;
  keyVersion: number;
  tags: string[];
  scenarios: string[];
  status: AgentStatusName;
  networkPseudonym: string | null;
  egressPseudonym: string | null;
  asn: number | null;
  country: string | null;
  enrolledAt: Date;
  lastLoginAt: Date | null;
  lastSignalAt: Date | null;
  revokedAt: Date | null;
}

export interface NewAgent {
  kind: AgentKindName;
  name: string;
  machineId?: string;
  passwordHash?: string;
  publicKey?: string;
  tags: string[];
  scenarios: string[];
  networkPseudonym: string | null;
  egressPseudonym: string | null;
  asn: number | null;
  country: string | null;
}

export interface EnrollmentCaps {
  perOrganization: number;
  /** anonymous (open) registrations per source network; they land in community organisations */
  perNetwork: number;
  /** registrations with an enrollment key of a known organisation, per source network */
  perKeyedNetwork: number;
  windowMs: number;
}

/** Why an enrollment was refused by a cap, and when the oldest counted enrollment leaves the window. */
export interface CapExceeded {
  cap: 'organization' | 'network';
  retryAfterMs: number;
}
