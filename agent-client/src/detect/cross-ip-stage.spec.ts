import { Issues } from '../util/json-check.js';
import { BUILTIN_CROSS_IP_SCENARIOS, BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { checkCrossIpScenario, type CrossIpScenarioDefinition } from './cross-ip-scenario.js';
import { Detector } from './detector.js';
import type { Signal } from './signal.js';

const T0 = Date.UTC(2026, 10, 25, 17, 0, 0);
const ssh = (ms: number, msg: string) => `${new Date(ms).toISOString()} web1 sshd[10]: ${msg}`;
const SSH_CROSS = BUILTIN_CROSS_IP_SCENARIOS.filter((s) => s.name === 'quorum/ssh-distributed-bf');
const HTTP_CROSS = BUILTIN_CROSS_IP_SCENARIOS.filter((s) => s.name === 'quorum/http-distributed-bf');

/** One failed password attempt on its own connection, as sshd logs it (2 lines, or 3 for an unknown user). */
function attempt(ms: number, ip: string, port: number, user = 'root'): string[] {
  if (user === 'root') return [ssh(ms, `Failed password for root from ${ip} port ${port} ssh2`), ssh(ms + 100, `Connection closed by authenticating user root ${ip} port ${port} [preauth]`)];
  return [
    ssh(ms, `Invalid user ${user} from ${ip} port ${port}`),
    ssh(ms + 50, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`),
    ssh(ms + 100, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`),
  ];
}

function detector(cross: CrossIpScenarioDefinition[], withBuckets = false) {
  const signals: Signal[] = [];
  const d = new Detector({ scenarios: withBuckets ? BUILTIN_SCENARIOS : [], crossIpScenarios: cross, onSignal: (s) => signals.push(s) });
  const feed = (lines: string[], format: 'sshd' | 'http-access' = 'sshd') => {
    for (const l of lines) d.processLine(l, format, T0 + 86_400_000);
  };
  return { d, signals, feed };
}

const bot = (i: number) => `203.0.${113 + (i >> 8)}.${i & 255}`;

describe('one count per attempt', () => {
  it('counts the lines of one attempt once, and each password tried on one connection', () => {
    const slow = BUILTIN_SCENARIOS.filter((s) => s.name === 'quorum/ssh-slow-bf');
    const run = (lines: string[]) => {
      const signals: Signal[] = [];
      const d = new Detector({ scenarios: slow, onSignal: (s) => signals.push(s) });
      for (const l of lines) d.processLine(l, 'sshd', T0 + 86_400_000);
      return signals;
    };
    // four attempts of 3 lines each, 2 minutes apart: 12 lines, 4 attempts, under Fail2Ban's 5 in 10 min
    const four = [0, 1, 2, 3].flatMap((k) => attempt(T0 + k * 120_000, '198.51.100.9', 5000 + k, 'oracle'));
    expect(run(four)).toHaveLength(0);
    // the fifth attempt within 10 minutes overflows
    const five = [...four, ...attempt(T0 + 4 * 120_000, '198.51.100.9', 5004, 'oracle')];
    expect(run(five)).toHaveLength(1);
    // two connections with three passwords each, slow: 6 attempts within 10 minutes
    const perConnection = [0, 1].flatMap((c) => [0, 1, 2].map((k) => ssh(T0 + c * 240_000 + k * 60_000, `Failed password for root from 198.51.100.10 port ${7000 + c} ssh2`)));
    expect(run(perConnection)).toHaveLength(1);
  });

  it('is slower to forget than Fail2Ban: five attempts 2.4 minutes apart are caught', () => {
    const slow = BUILTIN_SCENARIOS.filter((s) => s.name === 'quorum/ssh-slow-bf');
    const signals: Signal[] = [];
    const d = new Detector({ scenarios: slow, onSignal: (s) => signals.push(s) });
    for (let k = 0; k < 5; k++) for (const l of attempt(T0 + k * 144_000, '198.51.100.11', 6000 + k)) d.processLine(l, 'sshd', T0 + 86_400_000);
    expect(signals).toHaveLength(1);
  });
});

describe('cross-IP stage', () => {
  it('does nothing while few addresses fail, then flags every address at its second attempt once more than 20 fail within 2 minutes', () => {
    const { signals, feed, d } = detector(SSH_CROSS);
    // 20 addresses with two attempts each over 2 minutes: not an attack (the threshold is "more than 20")
    for (let i = 0; i < 20; i++) feed([...attempt(T0 + i * 3000, bot(i), 1000 + i), ...attempt(T0 + i * 3000 + 1000, bot(i), 2000 + i)]);
    expect(signals).toHaveLength(0);
    expect(d.stats().underAttack).toEqual([]);
    // the 21st address makes it one: the 20 earlier ones are flagged at once (their evidence counts)
    feed(attempt(T0 + 61_000, bot(20), 3000));
    expect(d.stats().underAttack).toEqual(['quorum/ssh-distributed-bf']);
    expect(signals.map((s) => s.ip).sort()).toEqual(Array.from({ length: 20 }, (_, i) => bot(i)).sort());
    expect(signals[0]).toMatchObject({ scenario: 'quorum/ssh-distributed-bf', labels: { classification: 'cross-ip', service: 'ssh', behavior: 'ssh:bruteforce' } });
    // the 21st at its second attempt, not its first
    expect(signals.some((s) => s.ip === bot(20))).toBe(false);
    feed(attempt(T0 + 150_000, bot(20), 3001));
    expect(signals.filter((s) => s.ip === bot(20))).toHaveLength(1);
    // flagged once: a third attempt adds nothing
    feed(attempt(T0 + 160_000, bot(20), 3002));
    expect(signals.filter((s) => s.ip === bot(20))).toHaveLength(1);
  });

  it('never flags an address that logged in successfully, and holds a non-existent user for its grace period', () => {
    const { signals, feed } = detector(SSH_CROSS);
    const user = '198.51.100.50';
    const typo = '198.51.100.51';
    const scanner = '198.51.100.52';
    feed([ssh(T0, `Accepted publickey for alice from ${user} port 40000 ssh2: ED25519 SHA256:x`)]);
    for (let i = 0; i < 25; i++) feed(attempt(T0 + 1000 + i * 1000, bot(i), 1000 + i));
    // under attack now; a legitimate user's two mistakes do not make a suspect of her
    feed([...attempt(T0 + 30_000, user, 41000), ...attempt(T0 + 31_000, user, 41001)]);
    // an unknown user name from two sources: one logs in 20 s later (a typo), the other never does
    feed([...attempt(T0 + 32_000, typo, 42000, 'alcie'), ...attempt(T0 + 32_000, scanner, 43000, 'oracle')]);
    expect(signals.filter((s) => [typo, scanner].includes(s.ip))).toHaveLength(0);
    feed([ssh(T0 + 52_000, `Accepted password for alice from ${typo} port 42001 ssh2`)]);
    for (let i = 25; i < 30; i++) feed(attempt(T0 + 95_000 + i * 100, bot(i), 1000 + i));
    expect(signals.map((s) => s.ip)).toContain(scanner);
    expect(signals.map((s) => s.ip)).not.toContain(typo);
    expect(signals.map((s) => s.ip)).not.toContain(user);
  });

  it('flags strong evidence on a quiet log when time passes (tick)', () => {
    const { signals, feed, d } = detector(SSH_CROSS);
    for (let i = 0; i < 25; i++) feed(attempt(T0 + i * 1000, bot(i), 1000 + i));
    feed(attempt(T0 + 30_000, '198.51.100.60', 5000, 'ftp'));
    expect(signals.some((s) => s.ip === '198.51.100.60')).toBe(false);
    d.tick(T0 + 95_000);
    expect(signals.some((s) => s.ip === '198.51.100.60')).toBe(true);
  });

  it('ends the attack `hold` after the last time it held', () => {
    const { signals, feed, d } = detector(SSH_CROSS);
    for (let i = 0; i < 25; i++) feed(attempt(T0 + i * 1000, bot(i), 1000 + i));
    const later = T0 + 25_000 + 16 * 60_000;
    feed([...attempt(later, '198.51.100.70', 1), ...attempt(later + 1000, '198.51.100.70', 2)]);
    expect(d.stats().underAttack).toEqual([]);
    expect(signals.some((s) => s.ip === '198.51.100.70')).toBe(false);
  });

  it('works on an access log: 401s from many addresses, second failure flagged, POST success trusted', () => {
    const { signals, feed } = detector(HTTP_CROSS);
    const clf = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${p(d.getUTCDate())}/Nov/2026:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    };
    const req = (ms: number, ip: string, method: string, status: number) => `${ip} - - [${clf(ms)}] "${method} /login HTTP/1.1" ${status} 10 "-" "x"`;
    const lines: string[] = [];
    lines.push(req(T0, '198.51.100.80', 'POST', 302));
    for (let i = 0; i < 25; i++) lines.push(req(T0 + 1000 + i * 1000, bot(i), 'POST', 401), req(T0 + 30_000 + i * 1000, bot(i), 'POST', 401));
    lines.push(req(T0 + 60_000, '198.51.100.80', 'POST', 401), req(T0 + 61_000, '198.51.100.80', 'POST', 401));
    feed(lines, 'http-access');
    expect(new Set(signals.map((s) => s.ip)).size).toBe(25);
    expect(signals.every((s) => s.scenario === 'quorum/http-distributed-bf' && s.labels?.classification === 'cross-ip')).toBe(true);
  });

  it('checks definitions from a config file', () => {
    const issues = new Issues();
    expect(checkCrossIpScenario(SSH_CROSS[0], 'x', issues)).toBe(true);
    const bad = { ...SSH_CROSS[0], attack: { distinctSources: 1, window: 'soon', hold: '1m' }, flag: { attempts: 2, memory: '10m', strong: { source: 'http' } }, success: { source: 'http' } };
    expect(checkCrossIpScenario(bad, 'x', issues)).toBe(false);
    expect(issues.list.join('\n')).toMatch(/attack\.distinctSources/);
    expect(issues.list.join('\n')).toMatch(/attack\.window/);
    expect(issues.list.join('\n')).toMatch(/flag\.strong/);
    expect(issues.list.join('\n')).toMatch(/success\.source/);
  });
});
