import type { Scenario } from './scenario.js';

const DAY = 86_400_000;

export interface Interval {
  from: number;
  to: number;
}

/**
 * The naive baseline of T3: an IP is listed at the next tick once 3 distinct reporters (any
 * agent) reported it within 24 h, until 24 h after its last report. No trust, no diversity.
 */
export function naiveListings(scenario: Scenario, tickMs = 15_000): Map<string, Interval[]> {
  const start = Date.parse(scenario.start);
  const end = Date.parse(scenario.end);
  const seen = new Map<string, Map<string, number>>();
  const out = new Map<string, Interval[]>();
  for (const ev of scenario.events) {
    if (ev.type !== 'signal' || ev.weight0 === true) continue;
    const t = Date.parse(ev.t);
    let reporters = seen.get(ev.ip);
    if (reporters === undefined) seen.set(ev.ip, (reporters = new Map()));
    reporters.set(ev.agent, t);
    const list = out.get(ev.ip);
    const current = list?.[list.length - 1];
    if (current !== undefined && current.to >= t) {
      current.to = Math.min(end, t + DAY);
      continue;
    }
    let recent = 0;
    for (const [agent, at] of reporters) {
      if (at >= t - DAY) recent++;
      else reporters.delete(agent);
    }
    if (recent < 3) continue;
    const from = start + Math.ceil((t - start + 1) / tickMs) * tickMs;
    const interval = { from, to: Math.min(end, t + DAY) };
    if (list === undefined) out.set(ev.ip, [interval]);
    else list.push(interval);
  }
  return out;
}
