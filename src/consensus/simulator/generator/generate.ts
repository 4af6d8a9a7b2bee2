import type { Scenario } from '../scenario.js';
import type { FamilyVariant } from './families.js';
import type { GroundTruth } from './ground-truth.js';
import { World } from './world.js';
import { DEFAULT_WORLD, type WorldConfig } from './world-config.js';

export interface Generated {
  scenario: Scenario;
  truth: GroundTruth;
}

/** Builds one variant's scenario and ground truth from a seed (deterministic). */
export function generate(v: FamilyVariant, seed: number, world: Partial<WorldConfig> = {}): Generated {
  const w = new World({ ...DEFAULT_WORLD, ...v.world, ...world }, seed);
  const info = v.build(w);
  const name = `${v.family}-${v.variant}-seed${seed}`;
  const scenario = w.toScenario(name, v.params ?? {});
  scenario.seed = seed;
  return { scenario, truth: w.truth(v.family, v.variant, seed, v.description, info) };
}
