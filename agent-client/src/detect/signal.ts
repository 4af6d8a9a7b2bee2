import { randomUUID } from 'node:crypto';

/** One scenario overflow for one address: what the agent reports (the body items of POST /v1/signals). */
export interface Signal {
  ip: string;
  scenario: string;
  scenario_version: string;
  scenario_hash: string;
  /** RFC 3339 UTC with milliseconds: first event in the bucket. */
  started_at: string;
  /** RFC 3339 UTC with milliseconds: the event that overflowed it. */
  stopped_at: string;
  /** Random v4 UUID: the server keeps one signal per (agent, uuid), so resending is harmless. */
  uuid: string;
}

export function makeSignal(ip: string, scenario: { name: string; version: string; hash: string }, startedAt: number, stoppedAt: number): Signal {
  return {
    ip,
    scenario: scenario.name,
    scenario_version: scenario.version,
    scenario_hash: scenario.hash,
    started_at: new Date(startedAt).toISOString(),
    stopped_at: new Date(stoppedAt).toISOString(),
    uuid: randomUUID(),
  };
}
