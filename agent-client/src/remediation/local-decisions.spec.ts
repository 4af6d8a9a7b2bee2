import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDecisions } from './local-decisions.js';

/** A tiny deterministic generator (mulberry32), so a failure replays the same sequence. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The obvious implementation: scan for the soonest expiry. The heap-backed one must agree with it. */
class ScanOracle {
  readonly byIp = new Map<string, { until: number; scenario: string }>();
  constructor(private readonly max: number) {}
  add(ip: string, scenario: string, now: number, duration: number): boolean {
    const until = now + duration;
    const existing = this.byIp.get(ip);
    if (existing) {
      if (until > existing.until) this.byIp.set(ip, { until, scenario });
      return false;
    }
    if (this.byIp.size >= this.max) {
      let soonest: [string, number] | null = null;
      for (const [key, d] of this.byIp) if (soonest === null || d.until < soonest[1]) soonest = [key, d.until];
      if (soonest) this.byIp.delete(soonest[0]);
    }
    this.byIp.set(ip, { until, scenario });
    return true;
  }
  expire(now: number): number {
    let n = 0;
    for (const [key, d] of this.byIp) if (d.until <= now && this.byIp.delete(key)) n++;
    return n;
  }
}

describe('LocalDecisions', () => {
  it('adds, extends (never shortens) and expires decisions', () => {
    const decisions = new LocalDecisions(10);
    expect(decisions.add('192.0.2.1', 'ssh-bf', 1_000, 60_000)).toBe(true);
    expect(decisions.add('192.0.2.1', 'http-probing', 2_000, 120_000)).toBe(false);
    expect(decisions.list()).toEqual([{ ip: '192.0.2.1', scenario: 'http-probing', at: 1_000, until: 122_000 }]);
    expect(decisions.add('192.0.2.1', 'ssh-bf', 3_000, 1_000)).toBe(false);
    expect(decisions.list()[0].until).toBe(122_000);
    expect(decisions.expire(61_000)).toBe(0);
    expect(decisions.expire(122_000)).toBe(1);
    expect(decisions.size).toBe(0);
  });

  it('evicts the decision closest to expiry when full, even after it was extended', () => {
    const decisions = new LocalDecisions(2);
    decisions.add('192.0.2.1', 's', 0, 10_000);
    decisions.add('192.0.2.2', 's', 0, 20_000);
    decisions.add('192.0.2.1', 's', 15_000, 10_000); // now ends at 25 s: .2 is the soonest
    decisions.add('192.0.2.3', 's', 16_000, 30_000);
    expect([...decisions.ips()].sort()).toEqual(['192.0.2.1', '192.0.2.3']);
  });

  it('agrees with a full scan over a long random sequence of adds, extensions and expiries', () => {
    for (const seed of [1, 2, 3]) {
      const next = rng(seed);
      const max = 50;
      const decisions = new LocalDecisions(max);
      const oracle = new ScanOracle(max);
      let now = 0;
      for (let step = 0; step < 6_000; step++) {
        now += Math.floor(next() * 500);
        if (next() < 0.05) {
          expect(decisions.expire(now)).toBe(oracle.expire(now));
        } else {
          const ip = `10.0.${Math.floor(next() * 4)}.${Math.floor(next() * 40)}`;
          // Distinct durations avoid ties, where either of two equal expiries may leave first.
          const duration = 1_000 + Math.floor(next() * 60_000) + step / 100_000;
          expect(decisions.add(ip, 'ssh-bf', now, duration)).toBe(oracle.add(ip, 'ssh-bf', now, duration));
        }
        expect(decisions.size).toBe(oracle.byIp.size);
      }
      const mine = new Map(decisions.list().map((d) => [d.ip, d.until]));
      expect(mine).toEqual(new Map([...oracle.byIp].map(([ip, d]) => [ip, d.until])));
    }
  });

  it('keeps the newest decisions when a botnet overflows a full table', () => {
    const decisions = new LocalDecisions(20_000);
    const address = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 100_000; i++) decisions.add(address(i), 's', i, 3_600_000);
    expect(decisions.size).toBe(20_000);
    const kept = new Set(decisions.ips());
    expect(kept.has(address(79_999))).toBe(false);
    expect(kept.has(address(80_000))).toBe(true);
    expect(kept.has(address(99_999))).toBe(true);
  });

  it('saves only after a change, and loads what is still running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-local-decisions-'));
    try {
      const path = join(dir, 'local-decisions.json');
      const decisions = new LocalDecisions(10, path);
      decisions.add('192.0.2.1', 'ssh-bf', 0, 10_000);
      decisions.add('192.0.2.2', 'ssh-bf', 0, 50_000);
      await decisions.save();
      expect(JSON.parse(readFileSync(path, 'utf8')).decisions).toHaveLength(2);
      const restored = new LocalDecisions(10, path);
      await restored.load(20_000);
      expect(restored.list()).toEqual([{ ip: '192.0.2.2', scenario: 'ssh-bf', at: 0, until: 50_000 }]);
      expect(restored.expire(50_000)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a missing or malformed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-local-decisions-'));
    try {
      const path = join(dir, 'local-decisions.json');
      const missing = new LocalDecisions(10, path);
      await missing.load(0);
      expect(missing.size).toBe(0);
      writeFileSync(path, '{"decisions":[{"ip":1},"x",{"ip":"192.0.2.9","scenario":"s","at":0,"until":99}]}');
      const partial = new LocalDecisions(10, path);
      await partial.load(0);
      expect(partial.list()).toEqual([{ ip: '192.0.2.9', scenario: 's', at: 0, until: 99 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
