import { BUILTIN_CROSS_IP_SCENARIOS, BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import type { CrossIpScenarioDefinition } from './cross-ip-scenario.js';
import type { ScenarioDefinition } from './scenario.js';

/**
 * The scenarios to run: built-ins minus the disabled ones, plus custom ones, for both stages (per-address
 * buckets and cross-IP). A custom scenario with a built-in's name replaces it. Unknown names in
 * `disabled` are returned so the caller can warn.
 */
export function selectScenarios(opts: { disabled: readonly string[]; custom: readonly ScenarioDefinition[]; crossIp?: readonly CrossIpScenarioDefinition[] }): {
  scenarios: ScenarioDefinition[];
  crossIpScenarios: CrossIpScenarioDefinition[];
  unknownDisabled: string[];
} {
  const byName = new Map<string, ScenarioDefinition>();
  for (const s of BUILTIN_SCENARIOS) byName.set(s.name, s);
  for (const s of opts.custom) byName.set(s.name, s);
  const crossByName = new Map<string, CrossIpScenarioDefinition>();
  for (const s of BUILTIN_CROSS_IP_SCENARIOS) crossByName.set(s.name, s);
  for (const s of opts.crossIp ?? []) crossByName.set(s.name, s);
  const unknownDisabled = opts.disabled.filter((n) => !byName.has(n) && !crossByName.has(n));
  for (const n of opts.disabled) {
    byName.delete(n);
    crossByName.delete(n);
  }
  return { scenarios: [...byName.values()], crossIpScenarios: [...crossByName.values()], unknownDisabled };
}
