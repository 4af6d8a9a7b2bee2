import { closeSync, openSync, writeSync } from 'node:fs';

/** Small deterministic PRNG (mulberry32), so every run benchmarks the same file. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['root', 'admin', 'test', 'oracle', 'postgres', 'ubuntu', 'git', 'user', 'guest', 'pi', 'ftp', 'deploy', 'support', 'mysql', 'hadoop'];
const PAGES = ['/', '/index.html', '/blog/', '/blog/post-1', '/blog/post-2', '/about', '/contact', '/api/v1/items?page=2', '/static/app.js', '/static/app.css', '/img/logo.png', '/feed.xml'];
const SENSITIVE = ['/.env', '/.git/config', '/wp-login.php', '/xmlrpc.php', '/phpmyadmin/', '/.aws/credentials', '/config.php', '/server-status', '/vendor/phpunit/src/Util/PHP/eval-stdin.php', '/actuator/env', '/backup.sql'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'curl/8.5.0', 'Googlebot/2.1 (+http://www.google.com/bot.html)'];

type Kind = 'ssh-bf' | 'ssh-enum' | 'http-probe' | 'http-sensitive';

interface AttackSession {
  kind: Kind;
  ip: string;
  left: number;
  n: number;
}

export interface MixedLogSummary {
  lines: number;
  bytes: number;
  attackLines: number;
  attackers: Record<Kind, number>;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Writes `lines` lines of a mixed auth.log + nginx access log (one file, interleaved, 86.4 ms apart):
 * ~45% nginx requests from 20,000 clients, ~40% sshd and other syslog noise, ~10% attack sessions
 * (ssh brute force, user enumeration, HTTP probing, sensitive-path scans) from distinct public addresses.
 */
export function writeMixedLog(path: string, lines: number, seed = 42): MixedLogSummary {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const publicIp = () => `${pick([23, 45, 61, 81, 91, 103, 109, 141, 159, 185, 193, 212])}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const clients = Array.from({ length: 20_000 }, publicIp);
  const start = Date.UTC(2026, 10, 24, 0, 0, 0);
  const step = 86.4; // one day per million lines, whatever the count: bucket timing stays the same
  const attackers: Record<Kind, number> = { 'ssh-bf': 0, 'ssh-enum': 0, 'http-probe': 0, 'http-sensitive': 0 };
  const active: AttackSession[] = [];
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  let bytes = 0;
  let attackLines = 0;

  const syslogTs = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate() < 10 ? ' ' : ''}${d.getUTCDate()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const clfTs = (d: Date) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  const sshd = (d: Date, msg: string) => (rnd() < 0.2 ? `${d.toISOString().replace('Z', '+00:00')} web1 sshd[${1000 + Math.floor(rnd() * 60000)}]: ${msg}` : `${syslogTs(d)} web1 sshd[${1000 + Math.floor(rnd() * 60000)}]: ${msg}`);
  const http = (d: Date, ip: string, method: string, path: string, status: number, ua: string) =>
    `${ip} - - [${clfTs(d)}] "${method} ${path} HTTP/1.1" ${status} ${Math.floor(rnd() * 20000)} "-" "${ua}"`;

  const attackLine = (s: AttackSession, d: Date): string => {
    s.n++;
    const port = 30000 + Math.floor(rnd() * 30000);
    switch (s.kind) {
      case 'ssh-bf':
        return sshd(d, `Failed password for root from ${s.ip} port ${port} ssh2`);
      case 'ssh-enum': {
        const u = `${pick(USERS)}${s.n}`;
        return s.n % 2 === 0 ? sshd(d, `Invalid user ${u} from ${s.ip} port ${port}`) : sshd(d, `Failed password for invalid user ${u} from ${s.ip} port ${port} ssh2`);
      }
      case 'http-probe':
        return http(d, s.ip, 'GET', `/${Math.floor(rnd() * 1e9).toString(36)}/${s.n}.php`, 404, 'Mozilla/5.0 zgrab/0.x');
      case 'http-sensitive':
        return http(d, s.ip, 'GET', SENSITIVE[s.n % SENSITIVE.length], pick([404, 403, 404]), 'python-requests/2.31');
    }
  };

  for (let i = 0; i < lines; i++) {
    const d = new Date(start + i * step);
    const r = rnd();
    let line: string;
    if (r < 0.1) {
      if (active.length < 6) {
        const kind = pick<Kind>(['ssh-bf', 'ssh-bf', 'ssh-enum', 'http-probe', 'http-sensitive']);
        attackers[kind]++;
        active.push({ kind, ip: publicIp(), left: 12 + Math.floor(rnd() * 30), n: 0 });
      }
      const idx = Math.floor(rnd() * active.length);
      const s = active[idx];
      line = attackLine(s, d);
      attackLines++;
      if (--s.left === 0) active.splice(idx, 1);
    } else if (r < 0.55) {
      const page = rnd() < 0.97 ? pick(PAGES) : '/favicon.ico';
      const status = page === '/favicon.ico' ? 404 : rnd() < 0.1 ? 304 : 200;
      line = http(d, pick(clients), rnd() < 0.9 ? 'GET' : 'POST', page, status, pick(AGENTS));
    } else if (r < 0.75) {
      const ip = pick(clients);
      const msgs = [
        `Accepted publickey for deploy from ${ip} port 52000 ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4`,
        'pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)',
        `Received disconnect from ${ip} port 52000:11: disconnected by user`,
        `Disconnected from user deploy ${ip} port 52000`,
        'pam_unix(sshd:session): session closed for user deploy',
        `Connection closed by ${ip} port 41000 [preauth]`,
        `Failed password for deploy from ${ip} port 52001 ssh2`,
      ];
      line = sshd(d, pick(msgs));
    } else {
      const msgs = [
        'CRON[2211]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
        'CRON[2212]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
        'systemd[1]: Starting apt-daily.service - Daily apt download activities...',
        'systemd-logind[512]: New session 4321 of user deploy.',
        'kernel: [123456.789012] [UFW BLOCK] IN=eth0 OUT= MAC=00:00 SRC=45.1.2.3 DST=10.0.0.5 LEN=40 PROTO=TCP SPT=4444 DPT=23',
        'sudo[3000]:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx',
      ];
      line = `${syslogTs(d)} web1 ${pick(msgs)}`;
    }
    buf.push(line);
    if (buf.length === 10_000) {
      const text = `${buf.join('\n')}\n`;
      bytes += Buffer.byteLength(text);
      writeSync(fd, text);
      buf = [];
    }
  }
  if (buf.length > 0) {
    const text = `${buf.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    writeSync(fd, text);
  }
  closeSync(fd);
  return { lines, bytes, attackLines, attackers };
}
