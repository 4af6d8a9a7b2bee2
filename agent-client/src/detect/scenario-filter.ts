import type { EventField, LogEvent } from './log-event.js';
import type { Condition, Scalar, ScenarioFilter } from './scenario.js';

export type EventPredicate = (e: LogEvent) => boolean;

/**
 * Substring search for many needles at once: needles are grouped by their first two characters, and
 * only the positions where such a pair occurs are checked (a path has few "/", so a list of 50
 * "/..." needles costs a handful of lookups instead of 50 scans).
 */
export function containsAny(needles: readonly string[]): (s: string) => boolean {
  if (needles.some((n) => n.length === 0)) return () => true;
  const byPair = new Map<string, string[]>();
  const singles = new Set<string>();
  for (const n of needles) {
    if (n.length === 1) singles.add(n);
    else byPair.set(n.slice(0, 2), [...(byPair.get(n.slice(0, 2)) ?? []), n]);
  }
  const firstChars = [...new Set([...byPair.keys()].map((k) => k[0]))].filter((c) => !singles.has(c));
  const singleList = [...singles];
  return (s) => {
    for (let k = 0; k < singleList.length; k++) if (s.includes(singleList[k])) return true;
    for (let k = 0; k < firstChars.length; k++) {
      for (let i = s.indexOf(firstChars[k]); i >= 0 && i < s.length - 1; i = s.indexOf(firstChars[k], i + 1)) {
        const list = byPair.get(s.slice(i, i + 2));
        if (list === undefined) continue;
        for (let j = 0; j < list.length; j++) if (s.startsWith(list[j], i)) return true;
      }
    }
    return false;
  };
}

// Several scenarios test the same field case-insensitively: lower-case it once per event.
let memoEvent: LogEvent | null = null;
let memoField: EventField | null = null;
let memoLower = '';

function lowered(e: LogEvent, field: EventField, v: string): string {
  if (memoEvent !== e || memoField !== field) {
    memoEvent = e;
    memoField = field;
    memoLower = v.toLowerCase();
  }
  return memoLower;
}

function textTest(op: 'prefix' | 'suffix' | 'contains', needles: string[], ignoreCase: boolean, field: EventField): EventPredicate {
  const list = ignoreCase ? needles.map((n) => n.toLowerCase()) : [...needles];
  const n = list.length;
  const match =
    op === 'prefix'
      ? (s: string) => {
          for (let i = 0; i < n; i++) if (s.startsWith(list[i])) return true;
          return false;
        }
      : op === 'suffix'
        ? (s: string) => {
            for (let i = 0; i < n; i++) if (s.endsWith(list[i])) return true;
            return false;
          }
        : containsAny(list);
  return (e) => {
    const v = e[field];
    if (typeof v !== 'string') return false;
    return match(ignoreCase ? lowered(e, field, v) : v);
  };
}

/** Turns a condition (data) into a closure once, so matching costs no interpretation per event. */
export function compileCondition(c: Condition): EventPredicate {
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (e) => parts.some((p) => p(e));
  }
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (e) => parts.every((p) => p(e));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (e) => !inner(e);
  }
  const field = c.field;
  switch (c.op) {
    case 'eq': {
      const v = c.value;
      return (e) => e[field] === v;
    }
    case 'ne': {
      const v = c.value;
      return (e) => e[field] !== v;
    }
    case 'in': {
      const set = new Set<Scalar>(c.value);
      return (e) => {
        const v = e[field];
        return v !== undefined && set.has(v);
      };
    }
    case 'not_in': {
      const set = new Set<Scalar>(c.value);
      return (e) => {
        const v = e[field];
        return v === undefined || !set.has(v);
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = c.value;
      const op = c.op;
      return (e) => {
        const v = e[field];
        if (typeof v !== 'number') return false;
        return op === 'gt' ? v > x : op === 'gte' ? v >= x : op === 'lt' ? v < x : v <= x;
      };
    }
    case 'prefix':
    case 'suffix':
    case 'contains':
      return textTest(c.op, c.value, c.ignoreCase === true, field);
    case 'exists': {
      const want = c.value;
      return (e) => (e[field] !== undefined) === want;
    }
  }
}

export function compileFilter(filter: ScenarioFilter): EventPredicate {
  const kinds = filter.kinds ? new Set<string>(filter.kinds) : null;
  const where = (filter.where ?? []).map(compileCondition);
  const source = filter.source;
  return (e) => {
    if (e.source !== source) return false;
    if (kinds !== null && !kinds.has(e.kind)) return false;
    for (let i = 0; i < where.length; i++) if (!where[i](e)) return false;
    return true;
  };
}
