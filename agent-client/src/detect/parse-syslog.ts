import { BsdTimestampParser, parseIsoTimestamp, type TimeCursor } from './parse-time.js';

/** Where the parts of a syslog / journald "short*" line are, filled in by {@link SyslogHeaderParser.parse}. */
export interface SyslogHeader {
  time: number;
  tagStart: number;
  tagEnd: number;
  messageStart: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Splits "<timestamp> <host> <tag>[pid]: <message>". Timestamps: BSD "Nov 25 17:00:00" (journald short,
 * with an optional fraction for short-precise), ISO 8601 (short-iso, rsyslog high precision) and epoch
 * seconds (short-unix). The tag is located before the timestamp is parsed, so lines of other programs
 * are rejected cheaply by the caller's tag check.
 */
export class SyslogHeaderParser {
  private readonly bsd = new BsdTimestampParser();
  private readonly cursor: TimeCursor = { time: NaN, end: 0 };

  /** Finds the tag; returns false when the line is not syslog-shaped. Sets tagStart/tagEnd/messageStart. */
  locate(line: string, out: SyslogHeader): boolean {
    const c0 = line.charCodeAt(0);
    let tsEnd: number;
    if (c0 >= 65 && c0 <= 90) {
      tsEnd = 15;
      if (line.charCodeAt(tsEnd) === 46) tsEnd = line.indexOf(' ', tsEnd);
    } else if (isDigit(c0)) {
      tsEnd = line.indexOf(' ');
      const c4 = line.charCodeAt(4);
      const c10 = line.charCodeAt(10);
      if (!(c4 === 45 || (c10 === 46 && tsEnd >= 10) || tsEnd === 10)) return false;
    } else {
      return false;
    }
    if (tsEnd < 0 || line.charCodeAt(tsEnd) !== 32) return false;
    const hostEnd = line.indexOf(' ', tsEnd + 1);
    if (hostEnd < 0) return false;
    const tagStart = hostEnd + 1;
    const colon = line.indexOf(': ', tagStart);
    if (colon < 0) return false;
    let tagEnd = colon;
    if (line.charCodeAt(colon - 1) === 93) {
      const bracket = line.lastIndexOf('[', colon);
      if (bracket > tagStart) tagEnd = bracket;
    }
    out.tagStart = tagStart;
    out.tagEnd = tagEnd;
    out.messageStart = colon + 2;
    out.time = NaN;
    return true;
  }

  /** Parses the timestamp of a line already located; NaN in out.time when it cannot be read. */
  parseTime(line: string, reference: number, out: SyslogHeader): void {
    const c = this.cursor;
    const c0 = line.charCodeAt(0);
    if (c0 >= 65 && c0 <= 90) {
      out.time = this.bsd.parse(line, 0, reference, c) ? c.time : NaN;
    } else if (line.charCodeAt(4) === 45) {
      out.time = parseIsoTimestamp(line, 0, c) ? c.time : NaN;
    } else {
      const end = line.indexOf(' ');
      const seconds = Number(line.slice(0, end));
      out.time = Number.isFinite(seconds) ? Math.floor(seconds * 1000) : NaN;
    }
  }
}
