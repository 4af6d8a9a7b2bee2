import { createHash } from 'node:crypto';

import { canonicalJson } from '../util/canonical-json.js';
import { parseDuration } from '../util/duration.js';
import { asObject, checkKeys, Issues, readNumber, readString } from '../util/json-check.js';
import { checkFilter, checkLabels, SCENARIO_NAME, type ScenarioFilter } from './scenario.js';

/**
 * A cross-IP scenario: the second stage of detection, for attacks spread over many addresses that each
 * stay under every per-address bucket (a botnet's low-and-slow brute force).
 *
 * - `filter` selects the failures of one service (one count per attempt, see detect/ssh-attempts.ts).
 * - `attack`: the service is under a distributed attack while more than `distinctSources` addresses
 *   failed within `window` (a bucket grouped by the service with `distinct: ip`, in CrowdSec terms); the
 *   state lasts `hold` after the last time that held.
 * - `flag`: while it lasts, an address is flagged at its first strong evidence: its `attempts`-th
 *   failure within `memory` (counted from before the attack too), or one event matching `strong` (e.g.
 *   a user name that does not exist) that no successful login from the address follows within `grace`.
 * - `success` marks an address as a legitimate user's (see detect/recent-logins.ts): never flagged.
 *
 * Its signals carry the label `classification: "cross-ip"`, so the service knows the evidence is one
 * victim's view of a campaign and can weigh it accordingly.
 */
export interface CrossIpScenarioDefinition {
  name: string;
  version: string;
  description: string;
  filter: ScenarioFilter;
  success?: ScenarioFilter;
  attack: { distinctSources: number; window: string; hold: string };
  flag: { attempts: number; memory: string; strong?: Omit<ScenarioFilter, 'source'>; grace?: string };
  labels?: Record<string, string>;
}

export const CROSS_IP_CLASSIFICATION = 'cross-ip';

export function crossIpScenarioHash(s: CrossIpScenarioDefinition): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

function duration(o: Record<string, unknown>, key: string, at: string, issues: Issues, required: boolean): void {
  const text = readString(o, key, at, issues, { required });
  if (text === undefined) return;
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) issues.add(`${at}.${key}`, `not a positive duration: ${JSON.stringify(text)}`);
}

/** Checks an untrusted cross-IP scenario (from a config file). */
export function checkCrossIpScenario(v: unknown, path: string, issues: Issues): v is CrossIpScenarioDefinition {
  const before = issues.list.length;
  const s = asObject(v, path, issues);
  if (!s) return false;
  checkKeys(s, ['name', 'version', 'description', 'filter', 'success', 'attack', 'flag', 'labels'], path, issues);
  readString(s, 'name', path, issues, { required: true, pattern: SCENARIO_NAME });
  readString(s, 'version', path, issues, { required: true, nonEmpty: true });
  readString(s, 'description', path, issues, { required: true });
  const source = checkFilter(s.filter, `${path}.filter`, issues, true);
  if (s.success !== undefined) {
    const successSource = checkFilter(s.success, `${path}.success`, issues, true);
    if (source !== undefined && successSource !== undefined && successSource !== source) issues.add(`${path}.success.source`, `must be the filter's source (${source})`);
  }
  const attack = asObject(s.attack, `${path}.attack`, issues);
  if (attack) {
    checkKeys(attack, ['distinctSources', 'window', 'hold'], `${path}.attack`, issues);
    readNumber(attack, 'distinctSources', `${path}.attack`, issues, { required: true, integer: true, min: 2, max: 1_000_000 });
    duration(attack, 'window', `${path}.attack`, issues, true);
    duration(attack, 'hold', `${path}.attack`, issues, true);
  }
  const flag = asObject(s.flag, `${path}.flag`, issues);
  if (flag) {
    checkKeys(flag, ['attempts', 'memory', 'strong', 'grace'], `${path}.flag`, issues);
    readNumber(flag, 'attempts', `${path}.flag`, issues, { required: true, integer: true, min: 1, max: 1000 });
    duration(flag, 'memory', `${path}.flag`, issues, true);
    duration(flag, 'grace', `${path}.flag`, issues, false);
    if (flag.strong !== undefined) {
      checkFilter(flag.strong, `${path}.flag.strong`, issues, false);
    }
  }
  checkLabels(s.labels, path, issues);
  return issues.list.length === before;
}
