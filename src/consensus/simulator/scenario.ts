/** Scenario and result formats of `quorum simulate` (issue 4). Extra optional fields are marked. */

export interface ScenarioOwner {
  id: string;
}

export interface ScenarioAgent {
  id: string;
  owner: string;
  ip: string;
  asn: number;
  country: string;
  enrolledAt: string;
  kind: 'community' | 'honeypot';
  /** Optional: trust evidence accumulated before `start` (defaults: the priors). */
  alpha?: number;
  beta?: number;
}

export interface SignalEvent {
  t: string;
  type: 'signal';
  agent: string;
  ip: string;
  scenario: string;
  /** Optional: the ingest gate gave this signal weight 0 (stale, uncertified, spoofable...). */
  weight0?: boolean;
  /** Optional: the IP was in an ingested public feed when reported. */
  inPublicFeed?: boolean;
}

export interface DelistingEvent {
  t: string;
  type: 'delisting';
  ip: string;
  outcome: 'upheld' | 'rejected';
  /** Optional: when the human review decides; default: at `t`. Suppression always starts at `t`. */
  reviewedAt?: string;
}

export type ScenarioEvent = SignalEvent | DelistingEvent;

/** Optional closed-loop actor: the holder of an innocent IP files a delisting request while listed. */
export interface ScenarioVictim {
  ip: string;
  complaintProbabilityPerDay: number;
  /** Review delay drawn uniformly in [min, max] hours after the request. */
  reviewHours: [number, number];
  outcome: 'upheld' | 'rejected';
}

/** Optional closed-loop actor: re-reports every new listing after a delay (feed copier, A6). */
export interface ScenarioCopier {
  agent: string;
  delaySeconds: number;
  scenario: string;
}

export interface Scenario {
  name: string;
  /** Optional: seeds the closed-loop actors (victims), so replays stay deterministic. */
  seed?: number;
  victims?: ScenarioVictim[];
  copiers?: ScenarioCopier[];
  start: string;
  end: string;
  params?: Record<string, unknown>;
  owners: ScenarioOwner[];
  agents: ScenarioAgent[];
  neverList: { cidr: string; category: string }[];
  canaries: string[];
  events: ScenarioEvent[];
}

export interface ResultListing {
  ip: string;
  listedAt: string;
  delistedAt: string | null;
  reason: 'consensus' | 'honeypot';
}

export interface ScenarioResult {
  name: string;
  listings: ResultListing[];
  quarantined: { agent: string; at: string }[];
  stats: { events: number; wallSeconds: number; eventsPerSecond: number };
}

export class ScenarioError extends Error {}

/** Structural checks that catch malformed files early, with a useful message. */
export function validateScenario(value: unknown): Scenario {
  if (typeof value !== 'object' || value === null) throw new ScenarioError('scenario must be a JSON object');
  const s = value as Partial<Scenario>;
  for (const field of ['name', 'start', 'end'] as const) {
    if (typeof s[field] !== 'string') throw new ScenarioError(`scenario.${field} must be a string`);
  }
  for (const field of ['owners', 'agents', 'events'] as const) {
    if (!Array.isArray(s[field])) throw new ScenarioError(`scenario.${field} must be an array`);
  }
  if (Number.isNaN(Date.parse(s.start as string)) || Number.isNaN(Date.parse(s.end as string))) {
    throw new ScenarioError('scenario.start and scenario.end must be ISO times');
  }
  const owners = new Set((s.owners as ScenarioOwner[]).map((o) => o.id));
  for (const a of s.agents as ScenarioAgent[]) {
    if (typeof a.id !== 'string' || !owners.has(a.owner)) throw new ScenarioError(`agent ${a.id}: unknown owner ${a.owner}`);
    if (a.kind !== 'community' && a.kind !== 'honeypot') throw new ScenarioError(`agent ${a.id}: bad kind`);
    if (Number.isNaN(Date.parse(a.enrolledAt))) throw new ScenarioError(`agent ${a.id}: bad enrolledAt`);
  }
  return {
    ...(s as Scenario),
    neverList: s.neverList ?? [],
    canaries: s.canaries ?? [],
  };
}
