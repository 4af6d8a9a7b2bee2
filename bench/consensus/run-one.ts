import { CATALOGUE } from '../../src/consensus/simulator/generator/catalogue.js';
import { generate } from '../../src/consensus/simulator/generator/generate.js';
import { computeMetrics, type RunMetrics } from '../../src/consensus/simulator/metrics.js';
import { runScenario, type Action } from '../../src/consensus/simulator/run-scenario.js';
import type { Scenario, ScenarioResult } from '../../src/consensus/simulator/scenario.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RunTask {
  variant: number;
  seed: number;
  params?: Record<string, unknown>;
}

/** Metrics of one run plus the T5–T7 checks that need the simulator's actions or final trust. */
export interface RunOutcome extends RunMetrics {
  genSeconds: number;
  /** Worst delay (s) from a delisting request to the listing's removal. */
  suppressionMaxSeconds: number | null;
  /** Sybils that voted for >= 3 upheld FPs within 30 days, and how many were quarantined within 24 h of the third. */
  thirdUpheld: { due: number; onTime: number };
  /** Positive evidence the feed copier gained (α above pure forgetting). */
  copierGain: number | null;
  /** Most honest / adversary owners sharing a collusion cluster with another owner (hourly checks). */
  honestMerged: number;
  adversaryMerged: number;
}

export function runOne(task: RunTask): RunOutcome {
  const v = CATALOGUE[task.variant];
  const t0 = performance.now();
  const { scenario, truth } = generate(v, task.seed);
  const genSeconds = (performance.now() - t0) / 1000;
  const actions: Action[] = [];
  let copierGain: number | null = null;
  const adversaryOwners = new Set(truth.adversaries.map((a) => a.owner));
  const owners = scenario.owners.map((o) => o.id);
  let honestMerged = 0;
  let adversaryMerged = 0;
  const result = runScenario(scenario, {
    params: task.params,
    onAction: (a) => actions.push(a),
    onTick: (now, _changes, engine) => {
      if (now % HOUR !== 0) return;
      const merged = mergedOwners(owners, (o) => engine.voterOf(o));
      let h = 0;
      let a = 0;
      for (const o of merged) if (adversaryOwners.has(o)) a++;
      else h++;
      honestMerged = Math.max(honestMerged, h);
      adversaryMerged = Math.max(adversaryMerged, a);
    },
    onEnd: (engine) => {
      const copier = truth.adversaries.find((a) => a.role === 'copier');
      if (copier === undefined) return;
      const agent = scenario.agents.find((a) => a.id === copier.agent);
      const view = engine.reporter(copier.agent, Date.parse(scenario.end));
      if (agent === undefined || view === null) return;
      const days = Math.floor(Date.parse(scenario.end) / DAY) - Math.floor(Date.parse(scenario.start) / DAY);
      const expected = 1 + Math.pow(engine.params.alphaForgetting, days) * ((agent.alpha ?? 1) - 1);
      copierGain = view.alpha - expected;
    },
  });
  const metrics = computeMetrics(scenario, result, truth);
  return {
    ...metrics,
    genSeconds,
    suppressionMaxSeconds: suppressionDelay(result, actions),
    thirdUpheld: thirdUpheldCheck(scenario, result, actions, new Set(truth.adversaries.map((a) => a.agent))),
    copierGain,
    honestMerged,
    adversaryMerged,
  };
}

/** Owners whose collusion cluster holds at least one other owner. */
function mergedOwners(owners: string[], voterOf: (owner: string) => string): string[] {
  const size = new Map<string, number>();
  const voter = owners.map(voterOf);
  for (const v of voter) size.set(v, (size.get(v) ?? 0) + 1);
  return owners.filter((_, i) => (size.get(voter[i]) ?? 0) > 1);
}

function suppressionDelay(result: ScenarioResult, actions: Action[]): number | null {
  let worst: number | null = null;
  for (const a of actions) {
    if (a.kind !== 'request') continue;
    const l = result.listings.find((x) => x.ip === a.ip && Date.parse(x.listedAt) === a.listedAt);
    if (l === undefined) continue;
    const end = l.delistedAt === null ? Infinity : Date.parse(l.delistedAt);
    if (end < a.at) continue;
    const d = (end - a.at) / 1000;
    worst = worst === null ? d : Math.max(worst, d);
  }
  return worst;
}

function thirdUpheldCheck(scenario: Scenario, result: ScenarioResult, actions: Action[], adversaries: Set<string>): { due: number; onTime: number } {
  const upheld = actions.filter((a) => a.kind === 'review' && a.outcome === 'upheld');
  if (upheld.length === 0) return { due: 0, onTime: 0 };
  const firstVote = new Map<string, Map<string, number>>();
  for (const ev of scenario.events) {
    if (ev.type !== 'signal' || !adversaries.has(ev.agent)) continue;
    let m = firstVote.get(ev.agent);
    if (m === undefined) firstVote.set(ev.agent, (m = new Map()));
    if (!m.has(ev.ip)) m.set(ev.ip, Date.parse(ev.t));
  }
  const listed = new Map<string, number>();
  for (const l of result.listings) if (!listed.has(l.ip)) listed.set(l.ip, Date.parse(l.listedAt));
  const quarantined = new Map(result.quarantined.map((q) => [q.agent, Date.parse(q.at)]));
  let due = 0;
  let onTime = 0;
  for (const [agent, votes] of firstVote) {
    const times = upheld
      .filter((a) => (votes.get(a.ip) ?? Infinity) <= a.at && (listed.get(a.ip) ?? Infinity) <= a.at)
      .map((a) => a.at)
      .sort((x, y) => x - y);
    const third = times.findIndex((t, i) => i >= 2 && t - times[i - 2] <= 30 * DAY);
    if (third < 0) continue;
    due++;
    const q = quarantined.get(agent);
    if (q !== undefined && q <= times[third] + DAY) onTime++;
  }
  return { due, onTime };
}
