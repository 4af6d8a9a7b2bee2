import { canonicalIp } from '../net/ip.js';
import { type EventKind, type LogEvent, sshEvent } from './log-event.js';
import { type SyslogHeader, SyslogHeaderParser } from './parse-syslog.js';

const REPEATED = 'message repeated ';
const PREAUTH = '[preauth]';

/** The IP token starting at `start` (up to the next space or `end`), canonical, or null. */
function ipAt(line: string, start: number, end: number): string | null {
  let stop = line.indexOf(' ', start);
  if (stop < 0 || stop > end) stop = end;
  if (stop <= start) return null;
  const ip = canonicalIp(line, start, stop);
  // "from 1.2.3.4:" in some messages
  return ip === null && line.charCodeAt(stop - 1) === 58 ? canonicalIp(line, start, stop - 1) : ip;
}

/** The number in " port N" starting at `start` (sshd writes "IP port N"), or undefined. */
function portAt(line: string, start: number, end: number): number | undefined {
  if (start < 0 || !line.startsWith(' port ', start)) return undefined;
  let n = 0;
  let i = start + 6;
  for (; i < end && i < start + 12; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return i > start + 6 && n <= 65535 ? n : undefined;
}

/** The port after the IP token that starts at `ipStart`. */
function portAfterIp(line: string, ipStart: number, end: number): number | undefined {
  const sp = line.indexOf(' ', ipStart);
  return sp < 0 || sp >= end ? undefined : portAt(line, sp, end);
}

/**
 * sshd authentication failures and pre-auth probes from syslog / journald lines. Recognised messages
 * (OpenSSH 7 to 10, tag "sshd", "sshd-session" or "sshd-auth"):
 * "Failed <method> for [invalid user ]U from IP port N ssh2", "Invalid user U from IP port N",
 * "Connection closed|reset by [invalid|authenticating user U ]IP port N [preauth]",
 * "Disconnected from invalid|authenticating user U IP port N [preauth]",
 * "pam_unix(sshd:auth): authentication failure; ... rhost=IP user=U",
 * "[error: ]maximum authentication attempts exceeded for [invalid user ]U from IP ...",
 * "User U from IP not allowed because ...", "ROOT LOGIN REFUSED FROM IP",
 * "Did not receive identification string from IP", "banner exchange: Connection from IP port N: ...",
 * "Unable to negotiate with IP port N: ...", and rsyslog's "message repeated N times: [ ... ]".
 * Successful logins, "Accepted <method> for U from IP port N ssh2", are events too (`ssh_auth_success`):
 * they vouch for an address.
 */
export class SshdParser {
  private readonly header = new SyslogHeaderParser();
  private readonly h: SyslogHeader = { time: NaN, tagStart: 0, tagEnd: 0, messageStart: 0 };

  parse(line: string, reference: number): LogEvent | null {
    const h = this.h;
    if (!this.header.locate(line, h) || !line.startsWith('sshd', h.tagStart)) return null;
    const tagLen = h.tagEnd - h.tagStart;
    if (tagLen !== 4 && !(tagLen > 5 && line.charCodeAt(h.tagStart + 4) === 45)) return null;
    let p = h.messageStart;
    let end = line.length;
    if (line.charCodeAt(end - 1) === 13) end--;
    let count = 1;
    if (line.startsWith(REPEATED, p)) {
      const sp = line.indexOf(' ', p + REPEATED.length);
      count = Number(line.slice(p + REPEATED.length, sp));
      const open = line.indexOf('[ ', sp);
      if (!(count > 0) || open < 0) return null;
      p = open + 2;
      if (line.charCodeAt(end - 1) === 93) end--;
    }
    const e = this.message(line, p, end);
    if (!e) return null;
    this.header.parseTime(line, reference, h);
    e.time = h.time;
    e.count = count;
    return e;
  }

  private message(line: string, p: number, end: number): LogEvent | null {
    switch (line.charCodeAt(p)) {
      case 70: // F
        return line.startsWith('Failed ', p) ? this.failed(line, p + 7, end, 'ssh_auth_failed') : null;
      case 65: // A
        return line.startsWith('Accepted ', p) ? this.failed(line, p + 9, end, 'ssh_auth_success') : null;
      case 73: // I
        return line.startsWith('Invalid user ', p) ? this.userFrom(line, 'ssh_invalid_user', p + 13, end, undefined) : null;
      case 67: // C
        if (line.startsWith('Connection closed by ', p)) return this.preauthClose(line, p + 21, end, 'closed');
        if (line.startsWith('Connection reset by ', p)) return this.preauthClose(line, p + 20, end, 'reset');
        return null;
      case 68: // D
        if (line.startsWith('Disconnected from ', p)) return this.preauthClose(line, p + 18, end, 'disconnected');
        if (line.startsWith('Did not receive identification string from ', p)) return this.probe(line, p + 43, end, 'no_ident');
        return null;
      case 112: // p
        return line.startsWith('pam_unix(sshd:auth): authentication failure;', p) ? this.pam(line, p, end) : null;
      case 101: // e
        return line.startsWith('error: maximum authentication attempts exceeded for ', p) ? this.maxAuth(line, p + 52, end) : null;
      case 109: // m
        return line.startsWith('maximum authentication attempts exceeded for ', p) ? this.maxAuth(line, p + 45, end) : null;
      case 85: // U
        if (line.startsWith('User ', p)) return this.notAllowed(line, p + 5, end);
        if (line.startsWith('Unable to negotiate with ', p)) return this.probe(line, p + 25, end, 'negotiation');
        return null;
      case 82: // R
        if (line.startsWith('ROOT LOGIN REFUSED FROM ', p)) {
          const ip = ipAt(line, p + 24, end);
          return ip ? sshEvent('ssh_not_allowed', ip, NaN, 1, 'root', undefined) : null;
        }
        return null;
      case 98: // b
        return line.startsWith('banner exchange: Connection from ', p) ? this.probe(line, p + 33, end, 'bad_banner') : null;
      default:
        return null;
    }
  }

  /** "<method> for [invalid user ]U from IP port N ..." after "Failed " or "Accepted ". */
  private failed(line: string, p: number, end: number, kind: EventKind): LogEvent | null {
    const forIdx = line.indexOf(' for ', p);
    if (forIdx < 0 || forIdx - p > 40) return null;
    return this.userFrom(line, kind, forIdx + 5, end, line.slice(p, forIdx));
  }

  /** "[invalid user ]U from IP[ port N...]" starting at p. */
  private userFrom(line: string, kind: EventKind, p: number, end: number, detail: string | undefined): LogEvent | null {
    const from = line.lastIndexOf(' from ', end);
    if (from < p - 1) return null;
    const ip = ipAt(line, from + 6, end);
    if (!ip) return null;
    let userStart = p;
    if (kind === 'ssh_auth_failed' && line.startsWith('invalid user ', p)) {
      userStart += 13;
      detail = detail === undefined ? 'invalid_user' : `${detail}/invalid_user`;
    }
    const user = from >= userStart ? line.slice(userStart, from) : '';
    return sshEvent(kind, ip, NaN, 1, user, detail, portAfterIp(line, from + 6, end));
  }

  private preauthClose(line: string, p: number, end: number, how: string): LogEvent | null {
    if (!line.endsWith(PREAUTH, end)) return null;
    const port = line.lastIndexOf(' port ', end);
    if (port < p) return null;
    let userStart = -1;
    if (line.startsWith('invalid user ', p)) userStart = p + 13;
    else if (line.startsWith('authenticating user ', p)) userStart = p + 20;
    const ipStart = line.lastIndexOf(' ', port - 1) + 1;
    const ip = ipStart >= p ? canonicalIp(line, ipStart, port) : null;
    if (!ip) return null;
    if (userStart < 0) return how === 'disconnected' ? null : sshEvent('ssh_probe', ip, NaN, 1, undefined, `${how}_preauth`, portAt(line, port, end));
    const user = ipStart - 1 > userStart ? line.slice(userStart, ipStart - 1) : '';
    return sshEvent('ssh_preauth_closed', ip, NaN, 1, user, how, portAt(line, port, end));
  }

  private probe(line: string, p: number, end: number, detail: string): LogEvent | null {
    const ip = ipAt(line, p, end);
    return ip ? sshEvent('ssh_probe', ip, NaN, 1, undefined, detail) : null;
  }

  private pam(line: string, p: number, end: number): LogEvent | null {
    const rhost = line.indexOf(' rhost=', p);
    if (rhost < 0 || rhost > end) return null;
    const ip = ipAt(line, rhost + 7, end);
    if (!ip) return null;
    const userIdx = line.indexOf(' user=', rhost);
    const user = userIdx < 0 ? undefined : line.slice(userIdx + 6, end);
    return sshEvent('ssh_pam_failure', ip, NaN, 1, user, undefined);
  }

  private maxAuth(line: string, p: number, end: number): LogEvent | null {
    let userStart = p;
    if (line.startsWith('invalid user ', p)) userStart += 13;
    const from = line.lastIndexOf(' from ', end);
    if (from < userStart - 1) return null;
    const ip = ipAt(line, from + 6, end);
    return ip ? sshEvent('ssh_max_auth', ip, NaN, 1, line.slice(userStart, Math.max(userStart, from)), undefined, portAfterIp(line, from + 6, end)) : null;
  }

  private notAllowed(line: string, p: number, end: number): LogEvent | null {
    const notAllowed = line.indexOf(' not allowed because ', p);
    if (notAllowed < 0 || notAllowed > end) return null;
    const from = line.lastIndexOf(' from ', notAllowed);
    if (from < p - 1) return null;
    const ip = ipAt(line, from + 6, notAllowed);
    return ip ? sshEvent('ssh_not_allowed', ip, NaN, 1, line.slice(p, Math.max(p, from)), undefined) : null;
  }
}
