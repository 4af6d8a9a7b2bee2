import type { ConsensusParams } from './params.js';

/** One-sided lower confidence bound of the Beta(α, β) mean, floored at 0. */
export function trustLowerBound(alpha: number, beta: number, z: number): number {
  const n = alpha + beta;
  const mean = alpha / n;
  const sd = Math.sqrt((alpha * beta) / (n * n * (n + 1)));
  const t = mean - z * sd;
  return t > 0 ? t : 0;
}

/** Enrolment-age ramp: 0 before the minimum age, then age / full age, capped at 1. */
export function ageGate(ageMs: number, p: Pick<ConsensusParams, 'ageGateMinMs' | 'ageGateFullMs'>): number {
  if (ageMs < p.ageGateMinMs) return 0;
  const g = ageMs / p.ageGateFullMs;
  return g < 1 ? g : 1;
}

/** Daily forgetting towards the prior: x ← prior + f·(x − prior). */
export function forget(value: number, prior: number, factor: number, days = 1): number {
  return prior + Math.pow(factor, days) * (value - prior);
}

/** Default scenario family: `crowdsecurity/ssh-bf` → `ssh`. */
export function defaultScenarioFamily(scenario: string): string {
  const slash = scenario.lastIndexOf('/');
  const name = slash >= 0 ? scenario.slice(slash + 1) : scenario;
  const dash = name.indexOf('-');
  return dash > 0 ? name.slice(0, dash) : name;
}
