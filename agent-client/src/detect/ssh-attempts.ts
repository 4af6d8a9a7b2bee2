import type { LogEvent } from './log-event.js';

interface Connection {
  port: number;
  at: number;
  /** "Failed <method>" lines seen on this connection. */
  failed: number;
  /** Attempts already counted for it. */
  counted: number;
}

/** sshd's LoginGraceTime is 2 minutes by default: a connection is over well before this. */
const CONNECTION_MEMORY_MS = 10 * 60_000;
/** Connections remembered per address (a burst opens several at once). */
const PER_ADDRESS = 16;

/**
 * One count per attempt, not per log line. sshd writes several lines for one failed login (e.g.
 * "Invalid user x from IP port P", "Failed password for invalid user x from IP port P ssh2",
 * "Connection closed by invalid user x IP port P [preauth]"); a connection (address + source port)
 * stands for max(1, its "Failed <method>" lines) attempts: every password tried counts, the lines
 * around them do not. `normalize` sets `e.count` to the attempts the line adds (0 for a further line
 * of an attempt already counted). Lines without a port (pam, "not allowed") are left as they are.
 */
export class SshAttempts {
  private readonly byAddress = new Map<string, Connection[]>();

  constructor(private readonly maxAddresses = 100_000) {}

  get size(): number {
    return this.byAddress.size;
  }

  normalize(e: LogEvent, time: number): void {
    const port = e.port;
    if (port === undefined) return;
    const kind = e.kind;
    const isFailed = kind === 'ssh_auth_failed';
    if (!isFailed && kind !== 'ssh_invalid_user' && kind !== 'ssh_preauth_closed' && kind !== 'ssh_max_auth' && kind !== 'ssh_not_allowed') return;
    let list = this.byAddress.get(e.ip);
    if (list === undefined) {
      if (this.byAddress.size >= this.maxAddresses) this.sweep(time, true);
      list = [];
      this.byAddress.set(e.ip, list);
    }
    let c: Connection | undefined;
    for (let i = 0; i < list.length; i++) {
      if (list[i].port === port) {
        c = list[i];
        break;
      }
    }
    if (c === undefined || time - c.at > CONNECTION_MEMORY_MS) {
      if (c !== undefined) list.splice(list.indexOf(c), 1);
      if (list.length >= PER_ADDRESS) list.shift();
      c = { port, at: time, failed: 0, counted: 0 };
      list.push(c);
    }
    c.at = time;
    if (isFailed) c.failed += e.count;
    const target = c.failed > 0 ? c.failed : 1;
    const add = target - c.counted;
    e.count = add > 0 ? add : 0;
    if (add > 0) c.counted = target;
  }

  /** Forgets finished connections; when `force`d (memory bound), also the oldest tenth of the addresses. */
  sweep(now: number, force = false): void {
    for (const [ip, list] of this.byAddress) {
      let last = -Infinity;
      for (const c of list) if (c.at > last) last = c.at;
      if (now - last > CONNECTION_MEMORY_MS) this.byAddress.delete(ip);
    }
    if (!force || this.byAddress.size < this.maxAddresses) return;
    let excess = Math.ceil(this.maxAddresses / 10);
    for (const ip of this.byAddress.keys()) {
      this.byAddress.delete(ip);
      if (--excess <= 0) break;
    }
  }
}
