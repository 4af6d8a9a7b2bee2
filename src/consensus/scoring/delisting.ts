import { remove } from './decide.js';
import { penaliseVoters } from './evidence.js';
import { NEVER } from './ip-table.js';
import type { EngineState } from './state.js';
import type { DelistingOutcome } from './types.js';

/**
 * A verified delisting request (§3.8 step 3): unless a honeypot saw the IP in the last 7 days,
 * suppress it for 24 h at once. Returns whether it was suppressed.
 */
export function requestDelisting(st: EngineState, x: number, now: number): boolean {
  const { ips, p } = st;
  if (ips.hpLast[x] >= now - p.suppressionHoneypotLookbackMs) return false;
  ips.suppressedUntil[x] = now + p.suppressionMs;
  const rec = ips.listing[x];
  if (rec === undefined) return true;
  remove(st, x, rec, now, 'suppressed');
  if (p.suspendVotersOnRequestMs > 0 && rec.reason === 'consensus' && !rec.confirmed) {
    for (const voter of votersOf(st, rec.voters)) st.novelty.suspended.set(voter, now + p.suspendVotersOnRequestMs);
  }
  return true;
}

/** The human review's outcome (§3.8 step 4). */
export function reviewDelisting(st: EngineState, x: number, outcome: DelistingOutcome, now: number): void {
  const { ips, p } = st;
  if (outcome === 'upheld') {
    const rec = ips.listing[x];
    if (rec !== undefined) remove(st, x, rec, now, 'upheld');
    ips.protectedUntil[x] = now + p.fpProtectionMs;
    penaliseVoters(st, x, now);
    return;
  }
  ips.suppressedUntil[x] = NEVER;
  ips.cooldownUntil[x] = NEVER;
  const rec = ips.lastListing[x];
  if (rec !== undefined) for (const voter of votersOf(st, rec.voters)) st.novelty.suspended.delete(voter);
  st.markDirty(x);
}

function votersOf(st: EngineState, agents: number[]): Set<number> {
  const out = new Set<number>();
  for (const r of agents) out.add(st.collusion.root[st.reporters.owner[r]]);
  return out;
}
