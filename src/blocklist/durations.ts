/**
 * Durations as CrowdSec reads them: Go's `time.ParseDuration` grammar. The engine rejects a whole
 * pull for one duration it cannot parse (`7d` included), so we only ever write hours, minutes and
 * seconds, in Go's own `Duration.String` layout (`95h59m59s`, `1h0m0s`, `5m0s`, `45s`).
 */

/** Go durations are int64 nanoseconds: 2562047h47m16s is the longest one. */
const GO_MAX_SECONDS = 9_223_372_036;

/**
 * Whole seconds, rounded down so a decision never outlives its `until`; at least `1s` because a
 * zero or negative duration would be an expired (or, for some readers, permanent) decision.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const seconds = total >= 1 ? Math.min(total, GO_MAX_SECONDS) : 1;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The remaining lifetime of something valid until `until`, as seen at `now`. */
export function remainingGoDuration(until: Date, now: Date): string {
  return formatGoDuration(until.getTime() - now.getTime());
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses any Go duration (`300ms`, `-1.5h`, `2h45m`, `23h59m41.770944302s`, `0`) into
 * milliseconds (fractional below 1 ms). Throws a `SyntaxError` for anything Go would refuse:
 * a missing or unknown unit (`10`, `7d`), an empty string, a bare sign or dot.
 */
export function parseGoDuration(text: string): number {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (text.slice(i) === '0') return 0;
  if (i === text.length) throw new SyntaxError(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  while (i < text.length) {
    const numberStart = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const intDigits = i - numberStart;
    let fracDigits = 0;
    if (text[i] === '.') {
      i++;
      const fracStart = i;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      fracDigits = i - fracStart;
    }
    if (intDigits === 0 && fracDigits === 0) throw new SyntaxError(`invalid duration ${JSON.stringify(text)}`);
    const value = Number(text.slice(numberStart, i));
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && !isDigit(text.charCodeAt(i))) i++;
    const unit = text.slice(unitStart, i);
    if (unit === '') throw new SyntaxError(`missing unit in duration ${JSON.stringify(text)}`);
    const scale = UNIT_MS[unit];
    if (scale === undefined || !Object.hasOwn(UNIT_MS, unit)) {
      throw new SyntaxError(`unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    }
    total += value * scale;
  }
  return sign * total;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
