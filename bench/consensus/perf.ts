import { CATALOGUE } from '../../src/consensus/simulator/generator/catalogue.js';
import { flooder } from '../../src/consensus/simulator/generator/families.js';
import { generate } from '../../src/consensus/simulator/generator/generate.js';
import { runScenario } from '../../src/consensus/simulator/run-scenario.js';
import type { Scenario } from '../../src/consensus/simulator/scenario.js';

export interface PerfResult {
  events: number;
  seconds: number;
  baselineSeconds: number;
}

/**
 * T10: a rogue flooder at 1M signals/day over one attack day plus the honest background, so the
 * replay is at least 1,000,000 events. The baseline, measured in the same run, is the naive
 * ">= 3 distinct reporters" bookkeeping (a Map of Sets per IP) over the same events.
 */
export function perfRun(seed = 1, perDay = 1_000_000): PerfResult {
  const template = CATALOGUE.find((v) => v.family === 'A2');
  if (template === undefined) throw new Error('A2 missing from the catalogue');
  const variant = { ...template, variant: 'flood-1m', world: { days: 3, warmupDays: 2 }, build: (w: Parameters<typeof flooder>[0]) => (flooder(w, perDay), {}) };
  const { scenario } = generate(variant, seed);
  const t0 = performance.now();
  const result = runScenario(scenario);
  const seconds = (performance.now() - t0) / 1000;
  return { events: result.stats.events, seconds, baselineSeconds: naiveBaseline(scenario) };
}

function naiveBaseline(scenario: Scenario): number {
  const t0 = performance.now();
  const reporters = new Map<string, Set<string>>();
  let listed = 0;
  for (const ev of scenario.events) {
    if (ev.type !== 'signal') continue;
    Date.parse(ev.t);
    let set = reporters.get(ev.ip);
    if (set === undefined) reporters.set(ev.ip, (set = new Set()));
    set.add(ev.agent);
    if (set.size === 3) listed++;
  }
  if (listed < 0) throw new Error('unreachable');
  return (performance.now() - t0) / 1000;
}
