import { timestampProblem } from '../common/http/timestamp-window.js';
import { ALLOWED_LABELS, HASH_PATTERN, SCENARIO_PATTERN, UUID_PATTERN } from './signal-rules.js';

/** A structurally valid signal as sent (per-item semantic checks come later). */
export interface RawSignal {
  ip?: string;
  range?: string;
  scope: 'ip' | 'range';
  scenario: string;
  scenarioVersion: string | null;
  scenarioHash: string | null;
  scenarioTrust: string | null;
  startedAt: number;
  stoppedAt: number;
  uuid: string | null;
  labels: Record<string, string | number> | null;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** CrowdSec's own verdict on the detector (only sources that compute it may send it). */
const SCENARIO_TRUSTS = new Set(['certified', 'tainted', 'custom', 'manual']);

const KNOWN_FIELDS = new Set(['ip', 'range', 'scope', 'scenario', 'scenario_version', 'scenario_hash', 'started_at', 'stopped_at', 'uuid', 'labels']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// PostgreSQL text and jsonb cannot hold NUL, nor unpaired UTF-16 surrogates (text would silently get U+FFFD).
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be refused
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function optionalString(item: Record<string, unknown>, name: string, max: number, at: string, problems: FieldProblem[]): string | null {
  const value = item[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max || UNSTORABLE.test(value)) {
    problems.push({ field: `${at}.${name}`, messages: [`${name} must be a non-empty string of at most ${max} characters`] });
    return null;
  }
  return value;
}

function timestamp(item: Record<string, unknown>, name: string, at: string, nowMs: number, problems: FieldProblem[]): number {
  const checked = timestampProblem(item[name], nowMs);
  if ('problem' in checked) {
    problems.push({ field: `${at}.${name}`, messages: [`${name} ${checked.problem}`] });
    return 0;
  }
  return checked.parsed;
}

/**
 * Structural validation of a signal batch. Any problem here rejects the whole batch (nothing is
 * stored): the body is malformed. Semantic problems of one item are handled per item afterwards.
 * Hand-written rather than class-validator: it runs for every signal at ingestion rate.
 */
export function parseSignalBatch(
  body: unknown,
  maxSignals: number,
  options: { allowTrust?: boolean; nowMs?: number } = {},
): { signals: RawSignal[] } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const nowMs = options.nowMs ?? Date.now();
  if (!isObject(body)) return { problems: [{ field: 'body', messages: ['body must be a JSON object {"signals": [...]}'] }] };
  for (const key of Object.keys(body)) {
    if (key !== 'signals') problems.push({ field: key, messages: [`unknown field "${key}"`] });
  }
  const list = body.signals;
  if (!Array.isArray(list)) return { problems: [...problems, { field: 'signals', messages: ['signals must be an array'] }] };
  if (list.length === 0) problems.push({ field: 'signals', messages: ['signals must not be empty'] });
  if (list.length > maxSignals) return { problems: [...problems, { field: 'signals', messages: [`at most ${maxSignals} signals per batch (got ${list.length})`] }] };
  const signals: RawSignal[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `signals.${i}`;
    const item: unknown = list[i];
    if (!isObject(item)) {
      problems.push({ field: at, messages: ['each signal must be an object'] });
      continue;
    }
    for (const key of Object.keys(item)) {
      if (!KNOWN_FIELDS.has(key) && !(options.allowTrust && key === 'scenario_trust')) problems.push({ field: `${at}.${key}`, messages: [`unknown field "${key}"`] });
    }
    const scopeValue = item.scope ?? (item.range !== undefined ? 'range' : 'ip');
    if (scopeValue !== 'ip' && scopeValue !== 'range') problems.push({ field: `${at}.scope`, messages: ['scope must be "ip" or "range"'] });
    const scope = scopeValue === 'range' ? 'range' : 'ip';
    const target = scope === 'range' ? item.range : item.ip;
    if (typeof target !== 'string' || target.length === 0 || target.length > 64) {
      problems.push({ field: `${at}.${scope === 'range' ? 'range' : 'ip'}`, messages: [`${scope === 'range' ? 'range' : 'ip'} must be a string`] });
    }
    if (scope === 'ip' && item.range !== undefined) problems.push({ field: `${at}.range`, messages: ['range is only allowed with scope "range"'] });
    if (scope === 'range' && item.ip !== undefined) problems.push({ field: `${at}.ip`, messages: ['ip is not allowed with scope "range"'] });
    const scenario = typeof item.scenario === 'string' && SCENARIO_PATTERN.test(item.scenario) ? item.scenario : null;
    if (!scenario) problems.push({ field: `${at}.scenario`, messages: ['scenario must look like "author/name"'] });
    const scenarioVersion = optionalString(item, 'scenario_version', 32, at, problems);
    const scenarioHash = optionalString(item, 'scenario_hash', 64, at, problems);
    if (scenarioHash !== null && !HASH_PATTERN.test(scenarioHash)) problems.push({ field: `${at}.scenario_hash`, messages: ['scenario_hash must be a hex SHA-256'] });
    const uuid = optionalString(item, 'uuid', 64, at, problems);
    const scenarioTrust = options.allowTrust ? optionalString(item, 'scenario_trust', 16, at, problems) : null;
    if (scenarioTrust !== null && !SCENARIO_TRUSTS.has(scenarioTrust)) {
      problems.push({ field: `${at}.scenario_trust`, messages: ['scenario_trust must be certified, tainted, custom or manual'] });
    }
    if (uuid !== null && !UUID_PATTERN.test(uuid)) problems.push({ field: `${at}.uuid`, messages: ['uuid must be 1-64 characters of A-Z a-z 0-9 _ . : -'] });
    const startedAt = timestamp(item, 'started_at', at, nowMs, problems);
    const stoppedAt = timestamp(item, 'stopped_at', at, nowMs, problems);
    let labels: Record<string, string | number> | null = null;
    if (item.labels !== undefined && item.labels !== null) {
      if (!isObject(item.labels) || Object.keys(item.labels).length > 16) {
        problems.push({ field: `${at}.labels`, messages: ['labels must be an object of at most 16 entries'] });
      } else {
        labels = Object.create(null) as Record<string, string | number>; // "__proto__" stays a key, then fails the allowlist
        for (const [key, value] of Object.entries(item.labels)) {
          if ((typeof value !== 'string' || value.length > 64 || UNSTORABLE.test(value)) && (typeof value !== 'number' || !Number.isFinite(value))) {
            problems.push({ field: `${at}.labels.${key}`, messages: ['label values must be strings (max 64) or numbers'] });
          } else {
            labels[key] = value;
          }
        }
      }
    }
    signals.push({
      ip: scope === 'ip' ? (target as string) : undefined,
      range: scope === 'range' ? (target as string) : undefined,
      scope,
      scenario: scenario ?? '',
      scenarioVersion,
      scenarioHash,
      scenarioTrust,
      startedAt,
      stoppedAt,
      uuid,
      labels,
    });
  }
  return problems.length > 0 ? { problems } : { signals };
}

export function disallowedLabel(labels: Record<string, string | number> | null): string | null {
  if (!labels) return null;
  for (const [key, value] of Object.entries(labels)) {
    const kind = Object.hasOwn(ALLOWED_LABELS, key) ? ALLOWED_LABELS[key] : undefined;
    if (!kind) return key;
    if (kind === 'port' && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535)) return key;
  }
  return null;
}
