export type LogSource = 'sshd' | 'http';

/** What a parser recognised in one line. */
export const EVENT_KINDS = [
  'ssh_auth_failed',
  'ssh_invalid_user',
  'ssh_preauth_closed',
  'ssh_pam_failure',
  'ssh_max_auth',
  'ssh_not_allowed',
  'ssh_probe',
  'ssh_auth_success',
  'http_request',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Fields a scenario may filter, group or count distinct values on. */
export const EVENT_FIELDS = ['source', 'kind', 'ip', 'port', 'user', 'method', 'path', 'status', 'userAgent', 'detail'] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

export interface LogEvent {
  source: LogSource;
  kind: EventKind;
  /** Canonical source address. */
  ip: string;
  /** Source port when the line names it (sshd): with `ip`, it identifies one connection. */
  port: number | undefined;
  /** Milliseconds since the epoch from the line's own timestamp, or NaN when it has none. */
  time: number;
  /**
   * How many occurrences the line stands for (syslog "message repeated N times"). For sshd failures the
   * detector turns it into the number of new attempts (0 for a further line of an attempt already
   * counted), see detect/ssh-attempts.ts.
   */
  count: number;
  user: string | undefined;
  method: string | undefined;
  /** Request path without the query string. */
  path: string | undefined;
  status: number | undefined;
  userAgent: string | undefined;
  /** Parser-specific precision: the ssh auth method, the kind of probe. */
  detail: string | undefined;
}

export function sshEvent(kind: EventKind, ip: string, time: number, count: number, user: string | undefined, detail: string | undefined, port?: number): LogEvent {
  return { source: 'sshd', kind, ip, port, time, count, user, method: undefined, path: undefined, status: undefined, userAgent: undefined, detail };
}

export function httpEvent(ip: string, time: number, method: string, path: string, status: number, userAgent: string | undefined): LogEvent {
  return { source: 'http', kind: 'http_request', ip, port: undefined, time, count: 1, user: undefined, method, path, status, userAgent, detail: undefined };
}
