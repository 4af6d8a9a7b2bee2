/** What the scenario writer knows and the engine never sees: who is who. Times are ISO. */

export type InnocentKind = 'competitor' | 'residential' | 'honest-user' | 'protected-agent' | 'never-list' | 'victim-member';

export interface TruthAttacker {
  ip: string;
  firstContact: string;
  lastContact: string;
  cgnat: boolean;
  /** When a benign user got the address after the attacker left (residential churn). */
  reassignedAt: string | null;
  /** Mean daily breadth b. */
  breadth: number;
  /** Set for campaign bots (A7). */
  bot?: boolean;
}

export interface TruthAdversary {
  agent: string;
  owner: string;
  asn: number;
  enrolledAt: string;
  role: 'sybil' | 'flooder' | 'copier' | 'framer' | 'replayer';
}

export interface GroundTruth {
  family: string;
  variant: string;
  seed: number;
  start: string;
  end: string;
  attackStart: string;
  description: string;
  attackers: TruthAttacker[];
  /** Attack contacts per attacker IP, seconds since `start` (detected or not). */
  contacts: Record<string, number[]>;
  innocent: { ip: string; kind: InnocentKind }[];
  adversaries: TruthAdversary[];
  /** Campaign bots share this start (A7). */
  campaignStart?: string;
  campaignMinutes?: number;
  /** Distinct owners and ASNs among the attacked members (T8 applies from 50 owners in 10 ASNs). */
  campaignVictimOwners?: number;
  campaignVictimAsns?: number;
  /** The world's honest population, for trust-dynamics metrics. */
  honestAgents: number;
}
