import type { LeaseGrant, LeaseRequest, LeaseStore } from './lease.js';
import { LeaseMeter, type MeterLimits, type MeterVerdict } from './lease-meter.js';
import type { WindowKind } from './quota-windows.js';

/** The Redis script's semantics in memory, with a configurable delay and failure switch. */
class MemoryStore implements LeaseStore {
  readonly counters = new Map<string, number>();
  reserves = 0;
  fail = false;

  reserve(r: LeaseRequest): Promise<LeaseGrant> {
    this.reserves++;
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (this.fail) return reject(new Error('store down'));
        const key = `${r.org}:${r.kind}:${r.windowId}`;
        const used = this.counters.get(key) ?? 0;
        const granted = Math.max(0, Math.min(r.want, r.limit - used));
        this.counters.set(key, used + granted);
        resolve({ granted, total: used + granted });
      });
    });
  }

  async release(org: string, kind: WindowKind, windowId: number, units: number): Promise<void> {
    const key = `${org}:${kind}:${windowId}`;
    this.counters.set(key, Math.max(0, (this.counters.get(key) ?? 0) - units));
  }
}

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0, 100);
const limits = (second: number, day: number, month = day * 30): MeterLimits => ({ second, day, month });

async function run(meter: LeaseMeter, org: string, l: MeterLimits, n: number, lookups = 1): Promise<MeterVerdict[]> {
  return Promise.all(Array.from({ length: n }, () => Promise.resolve(meter.consume(org, l, lookups))));
}

const okCount = (vs: MeterVerdict[]) => vs.filter((v) => v.ok).length;

describe('LeaseMeter', () => {
  let now = T0;
  const clock = () => now;
  beforeEach(() => {
    now = T0;
  });

  it('never lets an organisation pass its daily quota, even across replicas under concurrency', async () => {
    const store = new MemoryStore();
    const a = new LeaseMeter(store, clock);
    const b = new LeaseMeter(store, clock);
    const l = limits(10_000, 250);
    const verdicts = (await Promise.all([run(a, 'org', l, 200), run(b, 'org', l, 200)])).flat();
    expect(okCount(verdicts)).toBeLessThanOrEqual(250);
    expect(okCount(verdicts)).toBeGreaterThanOrEqual(250 - 2 * 3);
    const refused = verdicts.find((v) => !v.ok);
    expect(refused).toEqual(expect.objectContaining({ ok: false, code: 'quota_exhausted' }));
    expect(store.counters.get(`org:day:${Math.floor(T0 / 86_400_000)}`)).toBe(250);
  });

  it('answers from its lease without a store round trip per request', async () => {
    const store = new MemoryStore();
    const meter = new LeaseMeter(store, clock);
    const l = limits(1_000, 1_000_000);
    await run(meter, 'org', l, 1);
    const before = store.reserves;
    let sync = 0;
    for (let i = 0; i < 100; i++) if (!(meter.consume('org', l, 1) instanceof Promise)) sync++;
    expect(sync).toBe(100);
    expect(store.reserves - before).toBeLessThanOrEqual(3);
  });

  it('refuses the burst with rate_limited and lets the next second through', async () => {
    const store = new MemoryStore();
    const meter = new LeaseMeter(store, clock);
    const l = limits(5, 1_000);
    const first = await run(meter, 'org', l, 12);
    expect(okCount(first)).toBe(5);
    const refused = first.find((v) => !v.ok);
    expect(refused).toEqual(expect.objectContaining({ code: 'rate_limited', retryAfterSec: 1 }));
    expect(refused?.rate).toEqual({ limit: 5, remaining: 0, resetSec: Math.ceil(T0 / 1000) });
    // The refusal carries the state for the headers: the burst window spent.
    expect(refused?.windows.burst).toEqual({ limit: 5, remaining: 0, resetSec: Math.ceil(T0 / 1000) });
    now += 1_000;
    expect(okCount(await run(meter, 'org', l, 3))).toBe(3);
  });

  it('counts bulk lookups per IP against quotas but once against the burst', async () => {
    const store = new MemoryStore();
    const meter = new LeaseMeter(store, clock);
    const l = limits(2, 100);
    const bulk = await meter.consume('org', l, 60);
    expect(bulk.ok).toBe(true);
    expect(bulk.windows.quota).toEqual(expect.objectContaining({ limit: 100, remaining: 40 }));
    const tooMany = await meter.consume('org', l, 41);
    expect(tooMany).toEqual(expect.objectContaining({ ok: false, code: 'quota_exhausted' }));
    const second = await meter.consume('org', l, 40);
    expect(second).toEqual({ ok: true, windows: expect.objectContaining({ quota: expect.objectContaining({ remaining: 0 }) }) });
    expect(await meter.consume('org', l, 0)).toEqual(expect.objectContaining({ ok: false, code: 'rate_limited' }));
    expect(await meter.consume('org', l, 1)).toEqual(expect.objectContaining({ ok: false, code: 'quota_exhausted' }));
  });

  it('reports the tighter of the daily and monthly quotas, resetting at UTC boundaries', async () => {
    const meter = new LeaseMeter(new MemoryStore(), clock);
    const verdict = await meter.consume('org', limits(10, 1_000, 500), 1);
    expect(verdict.windows.quota).toEqual({ limit: 500, remaining: 499, resetSec: Date.UTC(2026, 11, 1) / 1000, window: 'month' });
    const daily = await meter.consume('org2', limits(10, 100, 100_000), 1);
    expect(daily.windows.quota).toEqual({ limit: 100, remaining: 99, resetSec: Date.UTC(2026, 10, 26) / 1000, window: 'day' });
    // The verdict's state is what a separate read of the meter at that instant shows.
    expect(daily.windows).toEqual(meter.limitWindows('org2', limits(10, 100, 100_000)));
  });

  it('keeps counting alone when the store is down, up to the limit per replica', async () => {
    const store = new MemoryStore();
    store.fail = true;
    const errors: unknown[] = [];
    const meter = new LeaseMeter(store, clock, (e) => errors.push(e));
    const verdicts = await run(meter, 'org', limits(1_000, 30), 50);
    expect(okCount(verdicts)).toBe(30);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('gives idle quota leases back so other replicas can use them', async () => {
    const store = new MemoryStore();
    const a = new LeaseMeter(store, clock);
    const b = new LeaseMeter(store, clock);
    const l = limits(1_000, 400);
    expect((await a.consume('org', l, 1)).ok).toBe(true);
    const dayKey = `org:day:${Math.floor(T0 / 86_400_000)}`;
    expect(store.counters.get(dayKey)).toBeGreaterThan(1);
    now += 60_000;
    await a.sweep(30_000, 3_600_000);
    expect(store.counters.get(dayKey)).toBe(1);
    expect(okCount(await run(b, 'org', l, 399))).toBe(399);
  });
});
