import { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import type { ScenarioDefinition } from './scenario.js';

/**
 * The scenarios to run: built-ins minus the disabled ones, plus custom ones. A custom scenario with a
 * built-in's name replaces it. Unknown names in `disabled` are returned so the caller can warn.
 */
export function selectScenarios(opts: { disabled: readonly string[]; custom: readonly ScenarioDefinition[] }): {
  scenarios: ScenarioDefinition[];
  unknownDisabled: string[];
} {
  const byName = new Map<string, ScenarioDefinition>();
  for (const s of BUILTIN_SCENARIOS) byName.set(s.name, s);
  for (const s of opts.custom) byName.set(s.name, s);
  const unknownDisabled = opts.disabled.filter((n) => !byName.has(n));
  for (const n of opts.disabled) byName.delete(n);
  return { scenarios: [...byName.values()], unknownDisabled };
}
