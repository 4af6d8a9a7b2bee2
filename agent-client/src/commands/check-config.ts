import { loadConfig } from '../config.js';
import { selectScenarios } from '../detect/scenario-set.js';
import type { CliIo } from './cli-io.js';

/** Validates the config file and prints it with every default filled in. */
export async function checkConfig(configPath: string, io: CliIo): Promise<number> {
  const config = await loadConfig(configPath);
  const { scenarios, unknownDisabled } = selectScenarios(config.scenarios);
  for (const name of unknownDisabled) io.err(`warning: scenarios.disabled names an unknown scenario: ${name}\n`);
  io.out(`${JSON.stringify({ ...config, activeScenarios: scenarios.map((s) => `${s.name}@${s.version}`) }, null, 2)}\n`);
  return 0;
}
