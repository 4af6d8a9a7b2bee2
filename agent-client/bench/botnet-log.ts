import { prng } from './mixed-log.js';

/**
 * A deterministic botnet attack on one server, as log lines in time order: the seed's headline case
 * (thousands of bots over ~40 minutes, most of them low and slow) plus legitimate users, some of whom
 * mistype their password or their user name once. Two variants: sshd (auth.log) and nginx (a login
 * form answered 401 on failure, 302 on success).
 */
export type BotnetVariant = 'ssh' | 'nginx';
export type BotClass = 'slow' | 'moderate' | 'burst';

export interface BotnetOptions {
  variant: BotnetVariant;
  seed: number;
  bots?: number;
  /** Length of the attack: bots start within it. */
  durationMs?: number;
  legitimateUsers?: number;
  /** How many legitimate users mistype their password once; as many mistype their user name once. */
  mistypers?: number;
}

export interface Bot {
  ip: string;
  kind: BotClass;
  firstAt: number;
  tries: number;
}

export interface LegitimateUser {
  ip: string;
  /** What this user gets wrong once, if anything. */
  mistake: 'none' | 'password' | 'username';
}

export interface BotnetLog {
  lines: string[];
  /** Log time of each line (ms), same index as `lines`. */
  times: number[];
  bots: Bot[];
  users: LegitimateUser[];
  /** Every failed attempt per address (one per attempt, however many lines it wrote): for the Fail2Ban-like rule. */
  failures: Map<string, number[]>;
  start: number;
  end: number;
}

const INVALID_USERS = ['admin', 'test', 'oracle', 'postgres', 'ubuntu', 'git', 'user', 'guest', 'pi', 'ftp', 'support', 'mysql', 'hadoop', 'jenkins', 'minecraft', 'ts3', 'steam', 'vagrant', 'odoo', 'elastic'];
const REAL_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'deploy'];
const PAGES = ['/', '/dashboard', '/projects', '/projects/42', '/settings', '/static/app.js', '/static/app.css', '/img/logo.png'];
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const BOT_AGENTS = ['python-requests/2.31', 'Go-http-client/1.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'curl/8.5.0'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

interface Entry {
  t: number;
  seq: number;
  line: string;
}

export function generateBotnetLog(o: BotnetOptions): BotnetLog {
  const rnd = prng(o.seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const botCount = o.bots ?? 7000;
  const durationMs = o.durationMs ?? 40 * 60_000;
  const start = Date.UTC(2026, 10, 24, 3, 0, 0);
  const entries: Entry[] = [];
  let seq = 0;
  const used = new Set<string>();
  const publicIp = (firstOctets: readonly number[]): string => {
    for (;;) {
      const ip = `${pick(firstOctets)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
  };
  const failures = new Map<string, number[]>();
  const failed = (ip: string, t: number) => {
    const list = failures.get(ip) ?? [];
    list.push(t);
    failures.set(ip, list);
  };
  const emit = (t: number, line: string) => entries.push({ t: Math.round(t), seq: seq++, line });
  const port = () => int(1024, 65535);

  const sshd = (t: number, pid: number, msg: string) => `${new Date(Math.round(t)).toISOString().replace('Z', '+00:00')} web1 sshd[${pid}]: ${msg}`;
  const clf = (t: number) => {
    const d = new Date(Math.round(t));
    return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  };
  const http = (t: number, ip: string, method: string, path: string, status: number, ua: string) =>
    `${ip} - - [${clf(t)}] "${method} ${path} HTTP/1.1" ${status} ${int(200, 9000)} "-" "${ua}"`;

  /** One failed ssh attempt (a new connection unless `conn` is given): the lines sshd writes for it. */
  const sshFailure = (t: number, ip: string, user: string, invalid: boolean, conn?: { port: number; pid: number }, close = rnd() < 0.5) => {
    const c = conn ?? { port: port(), pid: int(1000, 99999) };
    if (invalid) {
      if (!conn) emit(t, sshd(t, c.pid, `Invalid user ${user} from ${ip} port ${c.port}`));
      emit(t + 1500, sshd(t + 1500, c.pid, `Failed password for invalid user ${user} from ${ip} port ${c.port} ssh2`));
      if (close) emit(t + 1700, sshd(t + 1700, c.pid, `Connection closed by invalid user ${user} ${ip} port ${c.port} [preauth]`));
    } else {
      emit(t + 1200, sshd(t + 1200, c.pid, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`));
      emit(t + 1500, sshd(t + 1500, c.pid, `Failed password for ${user} from ${ip} port ${c.port} ssh2`));
      if (close) emit(t + 1700, sshd(t + 1700, c.pid, `Connection closed by authenticating user ${user} ${ip} port ${c.port} [preauth]`));
    }
    failed(ip, t);
    return c;
  };

  const bots: Bot[] = [];
  for (let i = 0; i < botCount; i++) {
    const r = rnd();
    const kind: BotClass = r < 0.6 ? 'slow' : r < 0.88 ? 'moderate' : 'burst';
    const ip = publicIp([31, 45, 77, 89, 103, 116, 176, 182, 190, 201, 213, 222]);
    const [tries, gapLo, gapHi] = kind === 'slow' ? [int(3, 10), 30_000, 180_000] : kind === 'moderate' ? [int(4, 15), 5_000, 30_000] : [int(8, 40), 200, 2_000];
    const firstAt = start + rnd() * (durationMs - (kind === 'slow' ? 0.25 : 0.05) * durationMs);
    bots.push({ ip, kind, firstAt: Math.round(firstAt), tries });
    let t = firstAt;
    const ua = pick(BOT_AGENTS);
    const root = rnd() < 0.35;
    // moderate bots try two passwords per connection; the others reconnect for each try
    let conn: { port: number; pid: number } | undefined;
    for (let k = 0; k < tries; k++) {
      if (o.variant === 'ssh') {
        const user = root ? 'root' : pick(INVALID_USERS);
        const again = kind === 'moderate' && k % 2 === 1 ? conn : undefined;
        conn = sshFailure(t, ip, user, !root, again, kind !== 'moderate' || k % 2 === 1 ? rnd() < 0.5 : false);
      } else {
        if (k === 0 && rnd() < 0.4) emit(t - 800, http(t - 800, ip, 'GET', '/login', 200, ua));
        emit(t, http(t, ip, 'POST', '/login', 401, ua));
        failed(ip, t);
      }
      t += between(gapLo, gapHi);
    }
  }

  const users: LegitimateUser[] = [];
  const userCount = o.legitimateUsers ?? 150;
  const mistypers = o.mistypers ?? 15;
  for (let i = 0; i < userCount; i++) {
    const ip = publicIp([62, 84, 92, 151, 178, 195]);
    const mistake: LegitimateUser['mistake'] = i < mistypers ? 'password' : i < 2 * mistypers ? 'username' : 'none';
    users.push({ ip, mistake });
    const name = REAL_USERS[i % REAL_USERS.length];
    const sessions = int(1, 4);
    for (let s = 0; s < sessions; s++) {
      let t = start - 5 * 60_000 + rnd() * (durationMs + 10 * 60_000);
      if (o.variant === 'ssh') {
        const pid = int(1000, 99999);
        const p = port();
        if (s === 0 && mistake === 'password') {
          sshFailure(t, ip, name, false, { port: p, pid }, false);
          t += between(4_000, 15_000);
          emit(t, sshd(t, pid, `Accepted password for ${name} from ${ip} port ${p} ssh2`));
        } else if (s === 0 && mistake === 'username') {
          sshFailure(t, ip, `${name.slice(0, -1)}${name.slice(-1) === 'e' ? 'a' : 'e'}`, true, undefined, true);
          t += between(10_000, 50_000);
          emit(t, sshd(t, pid, `Accepted password for ${name} from ${ip} port ${p} ssh2`));
        } else {
          emit(t, sshd(t, pid, `Accepted publickey for ${name} from ${ip} port ${p} ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4`));
        }
        emit(t + 50, sshd(t + 50, pid, `pam_unix(sshd:session): session opened for user ${name}(uid=1000) by (uid=0)`));
        const end = t + between(60_000, 1_800_000);
        emit(end, sshd(end, pid, `Received disconnect from ${ip} port ${p}:11: disconnected by user`));
        emit(end + 10, sshd(end + 10, pid, `pam_unix(sshd:session): session closed for user ${name}`));
      } else {
        emit(t - 1000, http(t - 1000, ip, 'GET', '/login', 200, BROWSER));
        if (s === 0 && mistake !== 'none') {
          emit(t, http(t, ip, 'POST', '/login', 401, BROWSER));
          failed(ip, t);
          t += between(mistake === 'password' ? 4_000 : 8_000, mistake === 'password' ? 15_000 : 40_000);
        }
        emit(t, http(t, ip, 'POST', '/login', 302, BROWSER));
        const pages = int(3, 30);
        for (let k = 0; k < pages; k++) {
          t += between(2_000, 60_000);
          const page = rnd() < 0.03 ? '/favicon.ico' : pick(PAGES);
          emit(t, http(t, ip, 'GET', page, page === '/favicon.ico' ? 404 : rnd() < 0.2 ? 304 : 200, BROWSER));
        }
      }
    }
  }

  // background: cron and systemd on the same host, or anonymous visitors of the public pages
  const end = start + durationMs + 10 * 60_000;
  for (let t = start - 5 * 60_000; t < end; t += between(100, 500)) {
    if (o.variant === 'ssh') {
      emit(t, `${new Date(Math.round(t)).toISOString().replace('Z', '+00:00')} web1 ${pick(['CRON[2211]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 'systemd[1]: Starting apt-daily.service - Daily apt download activities...', 'kernel: [UFW BLOCK] IN=eth0 OUT= SRC=45.1.2.3 DST=10.0.0.5 LEN=40 PROTO=TCP SPT=4444 DPT=23'])}`);
    } else {
      emit(t, http(t, publicIp([5, 37, 46, 94, 109]), 'GET', pick(['/', '/about', '/pricing', '/blog/1', '/static/app.js']), 200, BROWSER));
    }
  }

  entries.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return { lines: entries.map((e) => e.line), times: entries.map((e) => e.t), bots, users, failures, start, end };
}
