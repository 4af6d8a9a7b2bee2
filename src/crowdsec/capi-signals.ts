import type { FieldProblem } from '../signals/signal-batch.parser.js';
import { HASH_PATTERN, SCENARIO_PATTERN, UUID_PATTERN } from '../signals/signal-rules.js';

/** The engine sends at most this many signals per request (pkg/apiserver/apic.go). */
export const CAPI_MAX_SIGNALS = 50;

export interface MappedSignals {
  /** The native batch body (`{signals: [...]}`) for SignalsService.ingest; empty when nothing maps. */
  native: { signals: Array<Record<string, unknown>> };
  /** Items that are well-formed CrowdSec signals but not something Quorum counts (e.g. manual bans
   * with a free-text reason, or scopes such as Country). */
  skipped: Array<{ index: number; reason: string }>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const REQUIRED_STRINGS = ['message', 'scenario', 'scenario_hash', 'scenario_version', 'start_at', 'stop_at'] as const;

/**
 * Validates a CrowdSec `POST /vN/signals` body (an array of alert summaries) and maps it onto the
 * native batch shape. Missing or mistyped required fields reject the whole batch (nothing stored);
 * unknown fields are ignored, as newer engines add fields (`decisions`, `context`, `kind`, ...).
 */
export function mapCapiSignals(body: unknown): MappedSignals | { problems: FieldProblem[] } {
  if (!Array.isArray(body)) return { problems: [{ field: 'body', messages: ['body must be a JSON array of signals'] }] };
  if (body.length > CAPI_MAX_SIGNALS) {
    return { problems: [{ field: 'body', messages: [`at most ${CAPI_MAX_SIGNALS} signals per request (got ${body.length})`] }] };
  }
  const problems: FieldProblem[] = [];
  const native: Array<Record<string, unknown>> = [];
  const skipped: MappedSignals['skipped'] = [];
  body.forEach((item: unknown, index) => {
    const at = String(index);
    if (!isObject(item)) {
      problems.push({ field: at, messages: ['each signal must be an object'] });
      return;
    }
    for (const name of REQUIRED_STRINGS) {
      if (typeof item[name] !== 'string') problems.push({ field: `${at}.${name}`, messages: [`${name} is required and must be a string`] });
    }
    const source = item.source;
    if (!isObject(source) || typeof source.scope !== 'string' || typeof source.value !== 'string') {
      problems.push({ field: `${at}.source`, messages: ['source is required, with string scope and value'] });
      return;
    }
    if (item.scenario_trust !== undefined && item.scenario_trust !== null && typeof item.scenario_trust !== 'string') {
      problems.push({ field: `${at}.scenario_trust`, messages: ['scenario_trust must be a string'] });
    }
    if (item.uuid !== undefined && item.uuid !== null && typeof item.uuid !== 'string') {
      problems.push({ field: `${at}.uuid`, messages: ['uuid must be a string'] });
    }
    if (problems.length > 0) return;
    const scope = source.scope.toLowerCase();
    const scenario = item.scenario as string;
    if (scope !== 'ip' && scope !== 'range') {
      skipped.push({ index, reason: `scope ${source.scope} is not an ip or range` });
      return;
    }
    if (!SCENARIO_PATTERN.test(scenario)) {
      skipped.push({ index, reason: 'scenario is not an author/name detector (manual decision)' });
      return;
    }
    const signal: Record<string, unknown> = {
      scope,
      [scope]: source.value,
      scenario,
      started_at: item.start_at,
      stopped_at: item.stop_at,
    };
    const hash = item.scenario_hash as string;
    if (HASH_PATTERN.test(hash)) signal.scenario_hash = hash.toLowerCase();
    const version = item.scenario_version as string;
    if (version !== '' && version !== '?' && version.length <= 32) signal.scenario_version = version;
    const trust = typeof item.scenario_trust === 'string' ? item.scenario_trust : '';
    if (['certified', 'tainted', 'custom', 'manual'].includes(trust)) signal.scenario_trust = trust;
    if (typeof item.uuid === 'string' && UUID_PATTERN.test(item.uuid)) signal.uuid = item.uuid;
    native.push(signal);
  });
  return problems.length > 0 ? { problems } : { native: { signals: native }, skipped };
}
