import type { ConsensusEngine } from '../scoring/engine.js';
import type { Listing } from '../scoring/types.js';
import { expandScenario, readConsensusFixture, type CompactScenario } from './fixture-file.js';
import { runScenario } from './run-scenario.js';
import type { Scenario, ScenarioResult } from './scenario.js';

export interface FixtureRun<E> {
  fixture: { scenario: CompactScenario; expect: E } & Record<string, unknown>;
  scenario: Scenario;
  result: ScenarioResult;
  engine: ConsensusEngine;
  /** Every removal the engine reported, with its reason. */
  removed: Listing[];
  /** Epoch ms of `seconds` after the scenario start. */
  at(seconds: number): number;
}

/** Loads a compact behaviour fixture, replays it deterministically and keeps the engine. */
export function runFixture<E>(name: string, params: Record<string, unknown> = {}, edit?: (s: Scenario) => Scenario): FixtureRun<E> {
  const fixture = readConsensusFixture<{ scenario: CompactScenario; expect: E } & Record<string, unknown>>(name);
  let scenario = expandScenario(name, fixture.scenario);
  if (edit !== undefined) scenario = edit(scenario);
  let engine: ConsensusEngine | undefined;
  const removed: Listing[] = [];
  const result = runScenario(scenario, { params, clock: () => 0, onEnd: (e) => (engine = e), onTick: (_, c) => removed.push(...c.removed) });
  if (engine === undefined) throw new Error('runScenario did not report its engine');
  const start = Date.parse(scenario.start);
  return { fixture, scenario, result, engine, removed, at: (s) => start + s * 1000 };
}
