/** Shapes exchanged between the consensus service and its repository (no Prisma types). */
export interface ScoringSignal {
  id: bigint;
  receivedAt: Date;
  reporter: string;
  owner: string;
  ipKey: string;
  scope: string;
  scenario: string;
  at: Date;
  weight: number;
}

export interface ReporterRow {
  pseudonym: string;
  owner: string;
  kind: 'community' | 'honeypot';
  asn: number | null;
  net: string | null;
  country: string | null;
  enrolledAt: Date;
  alpha: number;
  beta: number;
  quarantinedAt: Date | null;
}

export interface IpScoreRow {
  ipKey: string;
  score: number;
  reporters: number;
  established: number;
  asns: number;
  scenarios: string[];
  firstSeen: Date;
  lastSeen: Date;
  listed: boolean;
  listedAt: Date | null;
  listedUntil: Date | null;
  reason: string | null;
  honeypot: boolean;
}

export interface ExplanationRow {
  ipKey: string;
  listedAt: Date;
  reason: string;
  score: number;
  asns: number;
  established: number;
  scenarioClasses: string[];
  firstSeen: Date;
  lastSeen: Date;
  voters: string[];
}

export interface CursorRow {
  lastSignalId: bigint;
  generation: bigint;
  lastTickAt: Date | null;
}

export interface NeverListRow {
  cidr: string;
  category: string;
  source: string;
}
