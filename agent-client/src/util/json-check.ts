import { parseDuration } from './duration.js';

/** Collects every problem found while checking a JSON document, each with its path. */
export class Issues {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

export type JsonObject = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** The object at `path`, or undefined (with an issue) when it is something else. */
export function asObject(v: unknown, path: string, issues: Issues): JsonObject | undefined {
  if (isRecord(v)) return v;
  issues.add(path, `expected an object, got ${describe(v)}`);
  return undefined;
}

/** Unknown keys are errors: a typo in a config key must not silently fall back to a default. */
export function checkKeys(obj: JsonObject, allowed: readonly string[], path: string, issues: Issues): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) issues.add(`${path}.${key}`, `unknown key (allowed: ${allowed.join(', ')})`);
  }
}

interface Presence {
  required?: boolean;
}

function missing(obj: JsonObject, key: string, path: string, issues: Issues, opts: Presence): boolean {
  if (obj[key] !== undefined) return false;
  if (opts.required) issues.add(`${path}.${key}`, 'is required');
  return true;
}

export function readString(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  opts: Presence & { pattern?: RegExp; oneOf?: readonly string[]; nonEmpty?: boolean } = {},
): string | undefined {
  if (missing(obj, key, path, issues, opts)) return undefined;
  const v = obj[key];
  const at = `${path}.${key}`;
  if (typeof v !== 'string') return void issues.add(at, `expected a string, got ${describe(v)}`);
  if (opts.nonEmpty && v.length === 0) return void issues.add(at, 'must not be empty');
  if (opts.pattern && !opts.pattern.test(v)) return void issues.add(at, `must match ${opts.pattern}`);
  if (opts.oneOf && !opts.oneOf.includes(v)) return void issues.add(at, `must be one of ${opts.oneOf.join(', ')}`);
  return v;
}

export function readNumber(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  opts: Presence & { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (missing(obj, key, path, issues, opts)) return undefined;
  const v = obj[key];
  const at = `${path}.${key}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return void issues.add(at, `expected a number, got ${describe(v)}`);
  if (opts.integer && !Number.isInteger(v)) return void issues.add(at, 'must be an integer');
  if (opts.min !== undefined && v < opts.min) return void issues.add(at, `must be >= ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) return void issues.add(at, `must be <= ${opts.max}`);
  return v;
}

export function readBoolean(obj: JsonObject, key: string, path: string, issues: Issues, opts: Presence = {}): boolean | undefined {
  if (missing(obj, key, path, issues, opts)) return undefined;
  const v = obj[key];
  if (typeof v !== 'boolean') return void issues.add(`${path}.${key}`, `expected a boolean, got ${describe(v)}`);
  return v;
}

export function readStringArray(obj: JsonObject, key: string, path: string, issues: Issues, opts: Presence = {}): string[] | undefined {
  if (missing(obj, key, path, issues, opts)) return undefined;
  const v = obj[key];
  const at = `${path}.${key}`;
  if (!Array.isArray(v)) return void issues.add(at, `expected an array of strings, got ${describe(v)}`);
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item === 'string') out.push(item);
    else issues.add(`${at}[${i}]`, `expected a string, got ${describe(item)}`);
  });
  return out;
}

/** A duration string ("10s", "1m30s"); returns milliseconds. */
export function readDuration(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  opts: Presence & { minMs?: number } = {},
): number | undefined {
  const text = readString(obj, key, path, issues, opts);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null) return void issues.add(`${path}.${key}`, `not a duration: ${JSON.stringify(text)} (use e.g. "500ms", "10s", "5m", "1h")`);
  if (opts.minMs !== undefined && ms < opts.minMs) return void issues.add(`${path}.${key}`, `must be at least ${opts.minMs}ms`);
  return ms;
}
