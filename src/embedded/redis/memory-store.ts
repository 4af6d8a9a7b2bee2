import { OK, type Reply, replyError } from './resp.js';

export interface SnapshotRow {
  key: string;
  string?: string;
  set?: string[];
  expiresAt: number | null;
}

type Value = { type: 'string'; data: string } | { type: 'set'; data: Set<string> };
interface Entry {
  value: Value;
  expiresAt: number | null;
}

const WRONGTYPE = replyError('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOT_INTEGER = replyError('ERR value is not an integer or out of range');
const SYNTAX = replyError('ERR syntax error');

function toInt(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The keyspace of the embedded Redis: strings and sets with millisecond expiry, the commands Quorum
 * uses (directly and inside its Lua scripts). Expired keys are dropped when touched and by a sweep.
 */
export class MemoryStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
  }

  size(): number {
    this.sweep();
    return this.entries.size;
  }

  /** Live keys as plain rows (for a snapshot on disk). */
  dump(): SnapshotRow[] {
    this.sweep();
    return [...this.entries].map(([key, { value, expiresAt }]) =>
      value.type === 'string' ? { key, string: value.data, expiresAt } : { key, set: [...value.data], expiresAt },
    );
  }

  restore(rows: readonly SnapshotRow[]): void {
    const now = this.now();
    for (const row of rows) {
      if (row.expiresAt !== null && row.expiresAt <= now) continue;
      const value: Value = row.set ? { type: 'set', data: new Set(row.set) } : { type: 'string', data: row.string ?? '' };
      this.entries.set(row.key, { value, expiresAt: row.expiresAt });
    }
  }

  has(name: string): boolean {
    return Object.hasOwn(this.commands, name);
  }

  /** Runs one data command; undefined means the command is not a keyspace command. */
  execute(name: string, args: string[]): Reply | undefined {
    const handler = this.commands[name];
    return handler ? handler(args) : undefined;
  }

  private readonly commands: Record<string, (a: string[]) => Reply> = {
    get: ([key]) => this.getString(key),
    set: (a) => this.set(a),
    del: (keys) => keys.filter((k) => this.live(k) && this.entries.delete(k)).length,
    unlink: (keys) => this.commands.del(keys),
    exists: (keys) => keys.filter((k) => this.live(k) !== undefined).length,
    incr: ([key]) => this.incrBy(key, 1),
    decr: ([key]) => this.incrBy(key, -1),
    incrby: ([key, by]) => (toInt(by) === null ? NOT_INTEGER : this.incrBy(key, toInt(by)!)),
    decrby: ([key, by]) => (toInt(by) === null ? NOT_INTEGER : this.incrBy(key, -toInt(by)!)),
    pexpire: ([key, ms]) => this.expireAt(key, ms, (n) => this.now() + n),
    expire: ([key, s]) => this.expireAt(key, s, (n) => this.now() + n * 1000),
    pexpireat: ([key, at]) => this.expireAt(key, at, (n) => n),
    expireat: ([key, at]) => this.expireAt(key, at, (n) => n * 1000),
    pttl: ([key]) => this.ttl(key, 1),
    ttl: ([key]) => this.ttl(key, 1000),
    persist: ([key]) => {
      const entry = this.live(key);
      if (!entry || entry.expiresAt === null) return 0;
      entry.expiresAt = null;
      return 1;
    },
    sadd: ([key, ...members]) => this.withSet(key, true, (set) => members.filter((m) => !set.has(m) && set.add(m)).length),
    srem: ([key, ...members]) => this.withSet(key, false, (set) => members.filter((m) => set.delete(m)).length),
    scard: ([key]) => this.withSet(key, false, (set) => set.size),
    sismember: ([key, member]) => this.withSet(key, false, (set) => (set.has(member) ? 1 : 0)),
    smembers: ([key]) => this.withSet(key, false, (set) => [...set]),
    type: ([key]) => ({ kind: 'status', value: this.live(key)?.value.type ?? 'none' }),
    dbsize: () => this.size(),
    flushdb: () => {
      this.entries.clear();
      return OK;
    },
    flushall: () => this.commands.flushdb([]),
  };

  private getString(key: string): Reply {
    const entry = this.live(key);
    if (!entry) return null;
    return entry.value.type === 'string' ? entry.value.data : WRONGTYPE;
  }

  private set(args: string[]): Reply {
    const [key, value, ...opts] = args;
    if (key === undefined || value === undefined) return replyError("ERR wrong number of arguments for 'set' command");
    let expiresAt: number | null = null;
    let mode: 'nx' | 'xx' | null = null;
    let keepTtl = false;
    for (let i = 0; i < opts.length; i += 1) {
      const opt = opts[i].toLowerCase();
      if (opt === 'nx' || opt === 'xx') mode = opt;
      else if (opt === 'keepttl') keepTtl = true;
      else if (['px', 'ex', 'pxat', 'exat'].includes(opt)) {
        const n = toInt(opts[(i += 1)]);
        if (n === null || n <= 0) return replyError("ERR invalid expire time in 'set' command");
        const ms = opt.startsWith('e') ? n * 1000 : n;
        expiresAt = opt.endsWith('at') ? ms : this.now() + ms;
      } else return SYNTAX;
    }
    const existing = this.live(key);
    if ((mode === 'nx' && existing) || (mode === 'xx' && !existing)) return null;
    if (keepTtl && existing) expiresAt = existing.expiresAt;
    this.entries.set(key, { value: { type: 'string', data: value }, expiresAt });
    return OK;
  }

  private incrBy(key: string, by: number): Reply {
    const entry = this.live(key);
    if (entry && entry.value.type !== 'string') return WRONGTYPE;
    const current = entry ? toInt(entry.value.data as string) : 0;
    if (current === null) return NOT_INTEGER;
    const next = current + by;
    if (entry) entry.value = { type: 'string', data: String(next) };
    else this.entries.set(key, { value: { type: 'string', data: String(next) }, expiresAt: null });
    return next;
  }

  private expireAt(key: string, amount: string, at: (n: number) => number): Reply {
    const n = toInt(amount);
    if (n === null) return NOT_INTEGER;
    const entry = this.live(key);
    if (!entry) return 0;
    const when = at(n);
    if (when <= this.now()) this.entries.delete(key);
    else entry.expiresAt = when;
    return 1;
  }

  private ttl(key: string, unit: number): Reply {
    const entry = this.live(key);
    if (!entry) return -2;
    if (entry.expiresAt === null) return -1;
    return Math.max(0, Math.round((entry.expiresAt - this.now()) / unit));
  }

  private withSet(key: string, create: boolean, work: (set: Set<string>) => Reply): Reply {
    let entry = this.live(key);
    if (entry && entry.value.type !== 'set') return WRONGTYPE;
    if (!entry) {
      const set = new Set<string>();
      if (!create) return work(set);
      entry = { value: { type: 'set', data: set }, expiresAt: null };
      this.entries.set(key, entry);
    }
    const reply = work(entry.value.data as Set<string>);
    if ((entry.value.data as Set<string>).size === 0) this.entries.delete(key);
    return reply;
  }
}
