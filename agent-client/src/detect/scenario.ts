import { createHash } from 'node:crypto';

import { canonicalJson } from '../util/canonical-json.js';
import { parseDuration } from '../util/duration.js';
import { asObject, checkKeys, describe, Issues, isRecord, readNumber, readString } from '../util/json-check.js';
import { EVENT_FIELDS, EVENT_KINDS, type EventField, type EventKind, type LogSource } from './log-event.js';

export type Scalar = string | number | boolean;

export const SCALAR_OPS = ['eq', 'ne'] as const;
export const LIST_OPS = ['in', 'not_in'] as const;
export const NUMBER_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
export const TEXT_OPS = ['prefix', 'suffix', 'contains'] as const;

/** A test on one event field; combine with any / all / not. Plain data, so scenarios stay JSON. */
export type Condition =
  | { field: EventField; op: (typeof SCALAR_OPS)[number]; value: Scalar }
  | { field: EventField; op: (typeof LIST_OPS)[number]; value: Scalar[] }
  | { field: EventField; op: (typeof NUMBER_OPS)[number]; value: number }
  | { field: EventField; op: (typeof TEXT_OPS)[number]; value: string[]; ignoreCase?: boolean }
  | { field: EventField; op: 'exists'; value: boolean }
  | { any: Condition[] }
  | { all: Condition[] }
  | { not: Condition };

export interface ScenarioFilter {
  source: LogSource;
  /** Event kinds that qualify; all kinds of the source when absent. */
  kinds?: EventKind[];
  /** Every condition must hold. */
  where?: Condition[];
}

/**
 * A leaky-bucket scenario, in the spirit of CrowdSec's: events passing `filter` pour into one bucket
 * per `groupBy` value; the bucket holds `capacity` events and leaks one per `leakSpeed`; the event that
 * would exceed the capacity overflows it and produces a signal.
 */
export interface ScenarioDefinition {
  /** "owner/name", e.g. "quorum/ssh-bf". */
  name: string;
  version: string;
  description: string;
  filter: ScenarioFilter;
  groupBy: 'ip';
  capacity: number;
  /** Duration for one event to leak out ("10s"). */
  leakSpeed: string;
  /** After an overflow, events of the same group are ignored this long ("1m"). */
  blackhole?: string;
  /** Only the first event with each distinct value of this field pours into a bucket. */
  distinct?: EventField;
  labels?: Record<string, string>;
}

export const SCENARIO_NAME = /^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*$/;
const SCENARIO_KEYS = ['name', 'version', 'description', 'filter', 'groupBy', 'capacity', 'leakSpeed', 'blackhole', 'distinct', 'labels'];

/** sha256 (hex) of the scenario's canonical JSON: any change to its definition changes the hash. */
export function scenarioHash(s: ScenarioDefinition): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

function checkCondition(v: unknown, path: string, issues: Issues, depth: number): void {
  if (depth > 8) return issues.add(path, 'conditions nested too deeply');
  const c = asObject(v, path, issues);
  if (!c) return;
  if ('any' in c || 'all' in c) {
    const key = 'any' in c ? 'any' : 'all';
    checkKeys(c, [key], path, issues);
    const list = c[key];
    if (!Array.isArray(list) || list.length === 0) return issues.add(`${path}.${key}`, 'expected a non-empty array of conditions');
    list.forEach((x, i) => checkCondition(x, `${path}.${key}[${i}]`, issues, depth + 1));
    return;
  }
  if ('not' in c) {
    checkKeys(c, ['not'], path, issues);
    return checkCondition(c.not, `${path}.not`, issues, depth + 1);
  }
  checkKeys(c, ['field', 'op', 'value', 'ignoreCase'], path, issues);
  readString(c, 'field', path, issues, { required: true, oneOf: EVENT_FIELDS });
  const op = readString(c, 'op', path, issues, {
    required: true,
    oneOf: [...SCALAR_OPS, ...LIST_OPS, ...NUMBER_OPS, ...TEXT_OPS, 'exists'],
  });
  const value = c.value;
  const at = `${path}.value`;
  const isScalar = (x: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof x);
  if (op === undefined) return;
  if ((SCALAR_OPS as readonly string[]).includes(op) && !isScalar(value)) issues.add(at, `expected a string, number or boolean, got ${describe(value)}`);
  if ((LIST_OPS as readonly string[]).includes(op) && !(Array.isArray(value) && value.every(isScalar))) issues.add(at, 'expected an array of scalars');
  if ((NUMBER_OPS as readonly string[]).includes(op) && typeof value !== 'number') issues.add(at, `expected a number, got ${describe(value)}`);
  if ((TEXT_OPS as readonly string[]).includes(op) && !(Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string'))) {
    issues.add(at, 'expected a non-empty array of strings');
  }
  if (op === 'exists' && typeof value !== 'boolean') issues.add(at, 'expected a boolean');
  if (c.ignoreCase !== undefined && (typeof c.ignoreCase !== 'boolean' || !(TEXT_OPS as readonly string[]).includes(op))) {
    issues.add(`${path}.ignoreCase`, 'is a boolean, only for prefix / suffix / contains');
  }
}

/** Checks a scenario's optional `labels`: an object of strings. */
export function checkLabels(labels: unknown, path: string, issues: Issues): void {
  if (labels !== undefined && !(isRecord(labels) && Object.values(labels).every((x) => typeof x === 'string'))) {
    issues.add(`${path}.labels`, 'expected an object of strings');
  }
}

/** Checks a filter (`source` required when `withSource`); returns its source when readable. */
export function checkFilter(v: unknown, fp: string, issues: Issues, withSource: boolean): LogSource | undefined {
  const filter = asObject(v, fp, issues);
  if (!filter) return undefined;
  checkKeys(filter, withSource ? ['source', 'kinds', 'where'] : ['kinds', 'where'], fp, issues);
  const source = withSource ? (readString(filter, 'source', fp, issues, { required: true, oneOf: ['sshd', 'http'] }) as LogSource | undefined) : undefined;
  if (filter.kinds !== undefined) {
    const ok = Array.isArray(filter.kinds) && filter.kinds.every((k) => (EVENT_KINDS as readonly unknown[]).includes(k));
    if (!ok) issues.add(`${fp}.kinds`, `expected an array of: ${EVENT_KINDS.join(', ')}`);
  }
  if (filter.where !== undefined) {
    if (!Array.isArray(filter.where)) issues.add(`${fp}.where`, 'expected an array of conditions');
    else filter.where.forEach((c, i) => checkCondition(c, `${fp}.where[${i}]`, issues, 0));
  }
  return source;
}

/** Checks an untrusted scenario (from a config file); on success the value is a ScenarioDefinition. */
export function checkScenario(v: unknown, path: string, issues: Issues): v is ScenarioDefinition {
  const before = issues.list.length;
  const s = asObject(v, path, issues);
  if (!s) return false;
  checkKeys(s, SCENARIO_KEYS, path, issues);
  readString(s, 'name', path, issues, { required: true, pattern: SCENARIO_NAME });
  readString(s, 'version', path, issues, { required: true, nonEmpty: true });
  readString(s, 'description', path, issues, { required: true });
  readString(s, 'groupBy', path, issues, { required: true, oneOf: ['ip'] });
  readNumber(s, 'capacity', path, issues, { required: true, integer: true, min: 0, max: 1_000_000 });
  for (const key of ['leakSpeed', 'blackhole']) {
    const text = readString(s, key, path, issues, { required: key === 'leakSpeed' });
    const ms = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && (ms === null || ms === undefined || (key === 'leakSpeed' && ms <= 0))) issues.add(`${path}.${key}`, `not a positive duration: ${JSON.stringify(text)}`);
  }
  readString(s, 'distinct', path, issues, { oneOf: EVENT_FIELDS });
  checkLabels(s.labels, path, issues);
  checkFilter(s.filter, `${path}.filter`, issues, true);
  return issues.list.length === before;
}
