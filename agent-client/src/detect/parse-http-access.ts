import { canonicalIp } from '../net/ip.js';
import { httpEvent, type LogEvent } from './log-event.js';
import { parseClfTimestamp, type TimeCursor } from './parse-time.js';

function statusAt(line: string, i: number): number {
  const a = line.charCodeAt(i) - 48;
  const b = line.charCodeAt(i + 1) - 48;
  const c = line.charCodeAt(i + 2) - 48;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  const next = line.charCodeAt(i + 3);
  if (next === next && next !== 32) return -1; // NaN at end of line is fine
  return a * 100 + b * 10 + c;
}

/**
 * nginx / Apache "combined" and "common" access log lines, optionally prefixed by a virtual host
 * (Apache vhost_combined): `IP - user [25/Nov/2026:17:00:00 +0000] "GET /p?q HTTP/1.1" 404 123 "ref" "ua"`.
 * Request lines are not trusted to be well formed (scanners send binary junk), so the closing quote is
 * the first `" ` followed by a status code.
 */
export class HttpAccessParser {
  private readonly cursor: TimeCursor = { time: NaN, end: 0 };

  parse(line: string): LogEvent | null {
    let start = 0;
    let sp = line.indexOf(' ');
    if (sp < 0) return null;
    let ip = canonicalIp(line, start, sp);
    if (ip === null) {
      start = sp + 1;
      sp = line.indexOf(' ', start);
      if (sp < 0) return null;
      ip = canonicalIp(line, start, sp);
      if (ip === null) return null;
    }
    const lb = line.indexOf(' [', sp);
    if (lb < 0 || lb - sp > 256) return null;
    const c = this.cursor;
    const time = parseClfTimestamp(line, lb + 2, c) ? c.time : NaN;
    const rb = line.indexOf('] "', lb + 2);
    if (rb < 0) return null;
    const reqStart = rb + 3;
    let q = reqStart - 1;
    let status = -1;
    while (status < 0) {
      q = line.indexOf('" ', q + 1);
      if (q < 0) return null;
      status = statusAt(line, q + 2);
    }
    const m = line.indexOf(' ', reqStart);
    let method = '';
    let path = '';
    if (m > reqStart && m < q) {
      method = line.slice(reqStart, m);
      let targetEnd = line.indexOf(' ', m + 1);
      if (targetEnd < 0 || targetEnd > q) targetEnd = q;
      const qm = line.indexOf('?', m + 1);
      path = line.slice(m + 1, qm > 0 && qm < targetEnd ? qm : targetEnd);
    } else if (q > reqStart) {
      path = line.slice(reqStart, q);
    }
    let userAgent: string | undefined;
    let end = line.length;
    if (line.charCodeAt(end - 1) === 13) end--;
    if (line.charCodeAt(end - 1) === 34) {
      const uaStart = line.lastIndexOf('"', end - 2) + 1;
      if (uaStart > q + 6) userAgent = line.slice(uaStart, end - 1);
    }
    return httpEvent(ip, time, method, path, status, userAgent);
  }
}
