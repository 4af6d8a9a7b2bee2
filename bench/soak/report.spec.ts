import { deltaVersion } from './mixed-load.js';
import { slope } from './observe.js';
import { type MinuteRow, verdict } from './report.js';

const row = (minute: number, over: Partial<MinuteRow> = {}): MinuteRow => ({
  minute,
  lookup: [1, 10],
  signals: [5, 50],
  delta: [2, 20],
  failed: 0,
  shed: 0,
  acceptedPerSec: 3000,
  lagP99Ms: 20,
  lagMaxMs: 40,
  runs: 30,
  runMedianMs: 300,
  runMaxMs: 500,
  scoringBusyPct: 40,
  maxWaiting: 1,
  maxDelayed: 3,
  backlog: 3000,
  backlogSlopePerSec: 0,
  rssMb: 400,
  apiRssMb: 200,
  load1: 1,
  ...over,
});
const storage = { signals: 1000, signalBytes: 400_000, bytesPerSignal: 400, blocklistRows: 10 };

describe('soak verdict', () => {
  it('passes when every criterion holds and names each one that misses', () => {
    const rows = [1, 2, 3, 4].map((m) => row(m));
    expect(verdict(rows, storage, 0.5, 12_000).pass).toBe(true);
    const bad = [row(1), row(2), row(3, { lookup: [2, 25] }), row(4, { runMedianMs: 600, maxWaiting: 3 })];
    const v = verdict(bad, { ...storage, bytesPerSignal: 700 }, 3, 8_000);
    expect(v.pass).toBe(false);
    expect(v.checks.filter((c) => !c.ok).map((c) => c.name.split(' ')[0])).toEqual(['lookup', 'scoring', 'run', 'RSS', 'bytes', 'scoring']);
  });

  it('misses a criterion it could not measure (NaN)', () => {
    const v = verdict([row(1), row(2, { lagP99Ms: Number.NaN })], storage, Number.NaN, null);
    expect(v.checks.find((c) => c.name.startsWith('RSS'))?.ok).toBe(false);
    // One minute without an event-loop figure: the lag bound is not shown for every minute.
    expect(v.checks.find((c) => c.name.startsWith('event-loop'))?.ok).toBe(false);
    expect(verdict([row(1, { lagP99Ms: Number.NaN }), row(2, { lagP99Ms: Number.NaN })], storage, 0.5, null).checks.find((c) => c.name.startsWith('event-loop'))?.detail).toMatch(/^- ms/);
    expect(v.checks).toHaveLength(6);
  });
});

describe('soak helpers', () => {
  it('fits a least-squares slope', () => {
    expect(slope([3, 4, 5, 6], [100, 102, 104, 106])).toBeCloseTo(2);
    expect(slope([3], [100])).toBeNaN();
  });

  it('reads the version a delta answer moves to', () => {
    expect(deltaVersion(Buffer.from('{"version":43,"since":42,"added":[\n]}'))).toBe(43);
    expect(deltaVersion(Buffer.from('{"statusCode":410}'))).toBeNull();
  });
});
