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
  /** Context the service accepts (see SIGNAL_LABEL_KEYS); `classification: "cross-ip"` marks the cross-IP stage. */
  labels?: Record<string, string | number>;
}

/** The label keys POST /v1/signals accepts (any other is refused): string values of at most 64 characters. */
export const SIGNAL_LABEL_KEYS: readonly string[] = ['service', 'protocol', 'behavior', 'classification', 'remediation'];

/** A scenario's labels reduced to what the service accepts, or undefined when none is left. */
export function signalLabels(labels: Readonly<Record<string, string>> | undefined, extra?: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const source of [labels, extra]) {
    if (source === undefined) continue;
    for (const key of SIGNAL_LABEL_KEYS) {
      const v = source[key];
      if (typeof v === 'string' && v.length > 0 && v.length <= 64) {
        out[key] = v;
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

export function makeSignal(
  ip: string,
  scenario: { name: string; version: string; hash: string; labels?: Record<string, string> },
  startedAt: number,
  stoppedAt: number,
): Signal {
  const signal: Signal = {
    ip,
    scenario: scenario.name,
    scenario_version: scenario.version,
    scenario_hash: scenario.hash,
    started_at: new Date(startedAt).toISOString(),
    stopped_at: new Date(stoppedAt).toISOString(),
    uuid: randomUUID(),
  };
  if (scenario.labels !== undefined) signal.labels = scenario.labels;
  return signal;
}
