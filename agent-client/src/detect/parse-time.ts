const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const DAY_MS = 86_400_000;

function digits(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export function monthIndex(s: string, start: number): number {
  if (start + 3 > s.length) return -1;
  const i = MONTHS.indexOf(s.slice(start, start + 3));
  return i >= 0 && i % 3 === 0 ? i / 3 : -1;
}

/** Result of a timestamp parse: the time and the index just after the timestamp. */
export interface TimeCursor {
  time: number;
  end: number;
}

/**
 * BSD syslog "Nov 25 17:00:00" (journald short, optionally with ".123456"): local time without a year.
 * The year is the one that puts the time closest before `reference` (a December line read in January
 * belongs to last year). The millisecond value is cached per second, since consecutive lines share it.
 */
export class BsdTimestampParser {
  private lastKey = '';
  private lastTime = NaN;

  parse(line: string, start: number, reference: number, out: TimeCursor): boolean {
    if (line.length < start + 15 || line.charCodeAt(start + 3) !== 32) return false;
    let time: number;
    if (this.lastKey.length === 15 && line.startsWith(this.lastKey, start)) {
      time = this.lastTime;
    } else {
      const month = monthIndex(line, start);
      const day = line.charCodeAt(start + 4) === 32 ? digits(line, start + 5, 1) : digits(line, start + 4, 2);
      const h = digits(line, start + 7, 2);
      const m = digits(line, start + 10, 2);
      const sec = digits(line, start + 13, 2);
      if (month < 0 || day < 1 || h < 0 || m < 0 || sec < 0 || line.charCodeAt(start + 9) !== 58 || line.charCodeAt(start + 12) !== 58) {
        return false;
      }
      const year = new Date(reference).getFullYear();
      time = new Date(year, month, day, h, m, sec).getTime();
      if (time > reference + DAY_MS) time = new Date(year - 1, month, day, h, m, sec).getTime();
      this.lastKey = line.slice(start, start + 15);
      this.lastTime = time;
    }
    let end = start + 15;
    if (line.charCodeAt(end) === 46) {
      const fracStart = end + 1;
      end = fracStart;
      while (end < line.length && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
      if (end > fracStart) time += Math.floor(Number(`0.${line.slice(fracStart, end)}`) * 1000);
    }
    out.time = time;
    out.end = end;
    return true;
  }
}

function parseOffset(line: string, pos: number, out: TimeCursor): number {
  const c = line.charCodeAt(pos);
  if (c === 90) {
    out.end = pos + 1;
    return 0;
  }
  if (c !== 43 && c !== 45) return NaN;
  const oh = digits(line, pos + 1, 2);
  const colon = line.charCodeAt(pos + 3) === 58 ? 1 : 0;
  const om = digits(line, pos + 3 + colon, 2);
  if (oh < 0 || om < 0) return NaN;
  out.end = pos + 5 + colon;
  return (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
}

/** ISO 8601 / RFC 3339 "2026-11-25T17:00:00[.ffffff](Z|+hh:mm|+hhmm)"; without an offset it is local time. */
export function parseIsoTimestamp(line: string, start: number, out: TimeCursor): boolean {
  if (line.length < start + 19 || line.charCodeAt(start + 4) !== 45 || line.charCodeAt(start + 10) !== 84) return false;
  const y = digits(line, start, 4);
  const mo = digits(line, start + 5, 2);
  const d = digits(line, start + 8, 2);
  const h = digits(line, start + 11, 2);
  const mi = digits(line, start + 14, 2);
  const s = digits(line, start + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || s < 0) return false;
  let pos = start + 19;
  let ms = 0;
  if (line.charCodeAt(pos) === 46 || line.charCodeAt(pos) === 44) {
    const fracStart = ++pos;
    while (pos < line.length && line.charCodeAt(pos) >= 48 && line.charCodeAt(pos) <= 57) pos++;
    if (pos > fracStart) ms = Math.floor(Number(`0.${line.slice(fracStart, pos)}`) * 1000);
  }
  out.end = pos;
  const offset = parseOffset(line, pos, out);
  if (Number.isNaN(offset)) {
    if (pos < line.length && line.charCodeAt(pos) !== 32) return false;
    out.time = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    return true;
  }
  out.time = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset;
  return true;
}

/** Common/combined log format "25/Nov/2026:17:00:00 +0000" (without the brackets). */
export function parseClfTimestamp(line: string, start: number, out: TimeCursor): boolean {
  if (line.length < start + 26 || line.charCodeAt(start + 2) !== 47 || line.charCodeAt(start + 20) !== 32) return false;
  const d = digits(line, start, 2);
  const mo = monthIndex(line, start + 3);
  const y = digits(line, start + 7, 4);
  const h = digits(line, start + 12, 2);
  const mi = digits(line, start + 15, 2);
  const s = digits(line, start + 18, 2);
  if (d < 1 || mo < 0 || y < 0 || h < 0 || mi < 0 || s < 0) return false;
  const offset = parseOffset(line, start + 21, out);
  if (Number.isNaN(offset)) return false;
  out.time = Date.UTC(y, mo, d, h, mi, s) - offset;
  return true;
}
