import type { LogEvent } from './log-event.js';
import { HttpAccessParser } from './parse-http-access.js';
import { SshdParser } from './parse-sshd.js';

export const LOG_FORMATS = ['sshd', 'http-access', 'auto'] as const;
/** How a followed file is read: sshd via syslog/journald, an access log, or either, line by line. */
export type LogFormat = (typeof LOG_FORMATS)[number];

export class LineParser {
  private readonly sshd = new SshdParser();
  private readonly http = new HttpAccessParser();

  /** `reference` is "now" for timestamps without a year (BSD syslog). */
  parse(line: string, format: LogFormat, reference: number): LogEvent | null {
    if (line.length < 16) return null;
    switch (format) {
      case 'sshd':
        return this.sshd.parse(line, reference);
      case 'http-access':
        return this.http.parse(line);
      case 'auto':
        return this.sshd.parse(line, reference) ?? this.http.parse(line);
    }
  }
}
