import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/util/project-root.js';
import type { Scenario, ScenarioAgent, ScenarioEvent } from './scenario.js';

/** Reads `test/fixtures/consensus/<name>.json` (the behaviour fixtures of the consensus specs). */
export function readConsensusFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'consensus', `${name}.json`), 'utf8')) as T;
}

/** [id, owner, ip, asn, ageDays, alpha, beta, kind?] */
export type CompactAgent = [string, string, string, number, number, number, number, ('community' | 'honeypot')?];
/** [secondsAfterStart, agent, ip, scenario?] or [seconds, "delisting", ip, outcome, reviewAfterSeconds?] */
export type CompactEvent = [number, string, string, string?, number?];

/** A small scenario written compactly in a fixture file. */
export interface CompactScenario {
  start: string;
  hours: number;
  params?: Record<string, unknown>;
  agents: CompactAgent[];
  neverList?: { cidr: string; category: string }[];
  canaries?: string[];
  events: CompactEvent[];
}

const DAY = 86_400_000;
export const DEFAULT_FIXTURE_SCENARIO = 'crowdsecurity/ssh-bf';

export function expandScenario(name: string, c: CompactScenario): Scenario {
  const start = Date.parse(c.start);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const agents: ScenarioAgent[] = c.agents.map(([id, owner, ip, asn, ageDays, alpha, beta, kind]) => ({
    id,
    owner,
    ip,
    asn,
    country: 'FR',
    enrolledAt: iso(start - ageDays * DAY),
    kind: kind ?? 'community',
    alpha,
    beta,
  }));
  const events: ScenarioEvent[] = c.events.map(([s, who, ip, extra, review]) =>
    who === 'delisting'
      ? {
          t: iso(start + s * 1000),
          type: 'delisting',
          ip,
          outcome: extra === 'rejected' ? 'rejected' : 'upheld',
          ...(review === undefined ? {} : { reviewedAt: iso(start + (s + review) * 1000) }),
        }
      : { t: iso(start + s * 1000), type: 'signal', agent: who, ip, scenario: extra ?? DEFAULT_FIXTURE_SCENARIO },
  );
  events.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  return {
    name,
    start: iso(start),
    end: iso(start + c.hours * 3_600_000),
    params: c.params ?? {},
    owners: [...new Set(agents.map((a) => a.owner))].map((id) => ({ id })),
    agents,
    neverList: c.neverList ?? [],
    canaries: c.canaries ?? [],
    events,
  };
}
