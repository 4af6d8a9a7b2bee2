import { formatGoDuration, remainingGoDuration } from '../blocklist/durations.js';
import type { ListedDecision, StreamDelta } from './decision-stream.js';

/** Everything Quorum publishes is its community list: CrowdSec's `CAPI` origin, remediation ban. */
export const QUORUM_ORIGIN = 'CAPI';

export interface CapiDecision {
  duration: string;
  origin: string;
  scenario: string;
  scope: string;
  type: string;
  value: string;
}

export interface BouncerDecision extends CapiDecision {
  id: number;
}

export interface V3Stream {
  new: Array<{ scenario: string; scope: string; decisions: Array<{ value: string; duration: string }> }>;
  deleted: Array<{ scope: string; decisions: string[] }>;
  links?: { blocklists: BlocklistLink[] };
}

export interface BlocklistLink {
  name: string;
  url: string;
  remediation: string;
  scope: string;
  duration: string;
}

/** CrowdSec's LAPI spelling of scopes (`Ip`, `Range`). */
export function lapiScope(scope: 'ip' | 'range'): string {
  return scope === 'ip' ? 'Ip' : 'Range';
}

function capiDecision(d: ListedDecision, duration: string): CapiDecision {
  return { duration, origin: QUORUM_ORIGIN, scenario: d.scenarioClass, scope: lapiScope(d.scope), type: 'ban', value: d.value };
}

/** v2 (engine 1.4.6): flat decisions, `origin` and `type` always set (a missing origin crashes it). */
export function formatV2(delta: StreamDelta, now: Date): { new: CapiDecision[]; deleted: CapiDecision[] } {
  return {
    new: delta.added.map((d) => capiDecision(d, remainingGoDuration(d.until, now))),
    deleted: delta.deleted.map((d) => capiDecision(d, '1s')),
  };
}

/** v3 (engine >= 1.5): grouped by scenario and scope; deletions grouped by scope. */
export function formatV3(delta: StreamDelta, now: Date, links: BlocklistLink[] | null): V3Stream {
  const groups = new Map<string, V3Stream['new'][number]>();
  for (const d of delta.added) {
    const id = `${d.scenarioClass}\u0000${d.scope}`;
    let group = groups.get(id);
    if (!group) {
      group = { scenario: d.scenarioClass, scope: d.scope, decisions: [] };
      groups.set(id, group);
    }
    group.decisions.push({ value: d.value, duration: remainingGoDuration(d.until, now) });
  }
  const deleted = new Map<string, string[]>();
  for (const d of delta.deleted) deleted.set(d.scope, [...(deleted.get(d.scope) ?? []), d.value]);
  const body: V3Stream = { new: [...groups.values()], deleted: [...deleted].map(([scope, decisions]) => ({ scope, decisions })) };
  if (links) body.links = { blocklists: links };
  return body;
}

/** A stable positive 31-bit id per listed row (bouncers expect an integer id). */
export function decisionId(d: ListedDecision): number {
  let h = 0x811c9dc5;
  const text = `${d.value}|${d.addedInVersion}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) || 1;
}

/** LAPI bouncer stream items: remaining duration for new ones, a negative one for deletions. */
export function formatBouncer(delta: StreamDelta, now: Date): { new: BouncerDecision[]; deleted: BouncerDecision[] } {
  return {
    new: delta.added.map((d) => ({ id: decisionId(d), ...capiDecision(d, remainingGoDuration(d.until, now)) })),
    deleted: delta.deleted.map((d) => ({ id: decisionId(d), ...capiDecision(d, `-${formatGoDuration(now.getTime() - d.until.getTime())}`) })),
  };
}

export interface BouncerFilter {
  scopes: string[];
  origins: string[] | null;
  scenariosContaining: string[];
  scenariosNotContaining: string[];
}

function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0) : [];
}

/** The LAPI stream's query filters; `scopes` defaults to ip,range as in LAPI. */
export function parseBouncerFilter(query: Record<string, unknown>): BouncerFilter {
  const scopes = list(query.scopes);
  const origins = list(query.origins);
  return {
    scopes: scopes.length > 0 ? scopes : ['ip', 'range'],
    origins: origins.length > 0 ? origins : null,
    scenariosContaining: list(query.scenarios_containing),
    scenariosNotContaining: list(query.scenarios_not_containing),
  };
}

export function bouncerFilterAccepts(filter: BouncerFilter, d: ListedDecision): boolean {
  if (!filter.scopes.includes(d.scope)) return false;
  if (filter.origins && !filter.origins.includes(QUORUM_ORIGIN.toLowerCase())) return false;
  const scenario = d.scenarioClass.toLowerCase();
  if (filter.scenariosContaining.length > 0 && !filter.scenariosContaining.some((s) => scenario.includes(s))) return false;
  return !filter.scenariosNotContaining.some((s) => scenario.includes(s));
}
