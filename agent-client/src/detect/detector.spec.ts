import { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { Detector } from './detector.js';
import type { ScenarioDefinition } from './scenario.js';
import { scenarioHash } from './scenario.js';
import type { Signal } from './signal.js';

const T0 = Date.UTC(2026, 10, 25, 17, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+0000');

function sshLine(ms: number, msg: string): string {
  return `${iso(ms)} web1 sshd[10]: ${msg}`;
}

function httpLine(ms: number, ip: string, path: string, status: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  const ts = `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  return `${ip} - - [${ts}] "GET ${path} HTTP/1.1" ${status} 10 "-" "scanner/1.0"`;
}

function only(name: string): ScenarioDefinition[] {
  return BUILTIN_SCENARIOS.filter((s) => s.name === name);
}

function run(scenarios: ScenarioDefinition[], lines: string[], isIgnored?: (ip: string) => boolean) {
  const signals: Signal[] = [];
  const d = new Detector({ scenarios, onSignal: (s) => signals.push(s), isIgnored });
  for (const line of lines) d.processLine(line, 'auto', T0 + 3_600_000);
  return { signals, detector: d };
}

describe('Detector with built-in scenarios', () => {
  it('ssh-bf overflows on the sixth failure within the leak window, with times and scenario identity', () => {
    const lines = Array.from({ length: 6 }, (_, i) => sshLine(T0 + i * 1000, `Failed password for root from 203.0.113.5 port ${4000 + i} ssh2`));
    const five = run(only('quorum/ssh-bf'), lines.slice(0, 5));
    expect(five.signals).toHaveLength(0);
    const { signals } = run(only('quorum/ssh-bf'), lines);
    expect(signals).toHaveLength(1);
    const def = only('quorum/ssh-bf')[0];
    expect(signals[0]).toEqual({
      ip: '203.0.113.5',
      scenario: 'quorum/ssh-bf',
      scenario_version: '1.0',
      scenario_hash: scenarioHash(def),
      started_at: new Date(T0).toISOString(),
      stopped_at: new Date(T0 + 5000).toISOString(),
      uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      labels: { behavior: 'ssh:bruteforce', service: 'ssh' },
    });
  });

  it('lets slow attempts leak out (one per 10 s never fills a bucket of 5)', () => {
    const lines = Array.from({ length: 30 }, (_, i) => sshLine(T0 + i * 11_000, 'Failed password for root from 203.0.113.5 port 1 ssh2'));
    expect(run(only('quorum/ssh-bf'), lines).signals).toHaveLength(0);
    // ... but the slow scenario, leaking one per minute, catches it
    expect(run(only('quorum/ssh-slow-bf'), lines).signals.length).toBeGreaterThan(0);
  });

  it('blackholes an address after an overflow, then reports it again', () => {
    const burst = (start: number) => Array.from({ length: 6 }, (_, i) => sshLine(start + i * 100, 'Failed password for root from 203.0.113.5 port 1 ssh2'));
    const { signals } = run(only('quorum/ssh-bf'), [...burst(T0), ...burst(T0 + 10_000), ...burst(T0 + 120_000)]);
    expect(signals.map((s) => s.started_at)).toEqual([new Date(T0).toISOString(), new Date(T0 + 120_000).toISOString()]);
    expect(new Set(signals.map((s) => s.uuid)).size).toBe(2);
  });

  it('counts a "message repeated" line as several attempts', () => {
    const { signals } = run(only('quorum/ssh-bf'), [sshLine(T0, 'message repeated 6 times: [ Failed password for root from 203.0.113.5 port 1 ssh2]')]);
    expect(signals).toHaveLength(1);
  });

  it('user enumeration counts distinct user names only', () => {
    const same = Array.from({ length: 20 }, () => sshLine(T0, 'Invalid user admin from 203.0.113.6 port 1'));
    expect(run(only('quorum/ssh-user-enum'), same).signals).toHaveLength(0);
    const users = ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => sshLine(T0 + i, `Invalid user ${u} from 203.0.113.6 port 1`));
    expect(run(only('quorum/ssh-user-enum'), users.slice(0, 5)).signals).toHaveLength(0);
    expect(run(only('quorum/ssh-user-enum'), users).signals).toHaveLength(1);
  });

  it('http probing needs distinct 4xx paths and ignores static files', () => {
    const probes = Array.from({ length: 11 }, (_, i) => httpLine(T0 + i * 200, '198.51.100.20', `/p${i}`, 404));
    expect(run(only('quorum/http-probing'), probes).signals).toHaveLength(1);
    const ok = Array.from({ length: 11 }, (_, i) => httpLine(T0 + i * 200, '198.51.100.20', `/p${i}`, 200));
    expect(run(only('quorum/http-probing'), ok).signals).toHaveLength(0);
    const icons = Array.from({ length: 11 }, (_, i) => httpLine(T0 + i * 200, '198.51.100.20', `/img/${i}.PNG`, 404));
    expect(run(only('quorum/http-probing'), icons).signals).toHaveLength(0);
  });

  it('http sensitive paths fire on four distinct secret paths, case-insensitively', () => {
    const paths = ['/.env', '/.git/config', '/WP-LOGIN.PHP', '/phpmyadmin/index.php'];
    const lines = paths.map((p, i) => httpLine(T0 + i, '198.51.100.21', p, 404));
    expect(run(only('quorum/http-sensitive-paths'), lines.slice(0, 3)).signals).toHaveLength(0);
    expect(run(only('quorum/http-sensitive-paths'), lines).signals).toHaveLength(1);
    const repeat = Array.from({ length: 10 }, (_, i) => httpLine(T0 + i, '198.51.100.21', '/wp-login.php', 200));
    expect(run(only('quorum/http-sensitive-paths'), repeat).signals).toHaveLength(0);
  });

  it('groups by address: different sources do not add up', () => {
    const lines = Array.from({ length: 12 }, (_, i) => sshLine(T0 + i, `Failed password for root from 203.0.113.${i % 2 === 0 ? 1 : 2} port 1 ssh2`));
    expect(run(only('quorum/ssh-bf'), lines).signals.map((s) => s.ip).sort()).toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('never reports ignored addresses', () => {
    const lines = Array.from({ length: 6 }, (_, i) => sshLine(T0 + i, 'Failed password for root from 203.0.113.5 port 1 ssh2'));
    const { signals, detector } = run(only('quorum/ssh-bf'), lines, (ip) => ip === '203.0.113.5');
    expect(signals).toHaveLength(0);
    expect(detector.stats().suppressed).toBe(1);
  });

  it('uses the reading time for lines without a usable or with a future timestamp', () => {
    const future = Array.from({ length: 6 }, () => sshLine(T0 + 86_400_000, 'Failed password for root from 203.0.113.5 port 1 ssh2'));
    const { signals } = run(only('quorum/ssh-bf'), future);
    expect(signals[0].stopped_at).toBe(new Date(T0 + 3_600_000).toISOString());
  });

  it('sweeps empty buckets so memory follows the active attackers only', () => {
    const signals: Signal[] = [];
    const d = new Detector({ scenarios: only('quorum/ssh-bf'), onSignal: (s) => signals.push(s), sweepIntervalMs: 1000 });
    for (let i = 0; i < 1000; i++) d.processLine(sshLine(T0, `Failed password for root from 10.0.${i >> 8}.${i & 255} port 1 ssh2`), 'sshd', T0);
    expect(d.stats().buckets).toBe(1000);
    d.processLine(sshLine(T0 + 600_000, 'Failed password for root from 203.0.113.9 port 1 ssh2'), 'sshd', T0 + 600_000);
    expect(d.stats().buckets).toBe(1);
  });

  it('bounds the number of buckets per scenario', () => {
    const d = new Detector({ scenarios: only('quorum/ssh-bf'), onSignal: () => undefined, maxBucketsPerScenario: 100 });
    for (let i = 0; i < 1000; i++) d.processLine(sshLine(T0, `Failed password for root from 10.0.${i >> 8}.${i & 255} port 1 ssh2`), 'sshd', T0);
    expect(d.stats().buckets).toBeLessThanOrEqual(100);
  });
});
