import { overageIncrement, periodOf, reportIdentifier } from './overage.js';

describe('metering rules', () => {
  it('uses UTC calendar months as periods', () => {
    const p = periodOf(new Date('2026-12-31T23:59:59Z'));
    expect(p).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z'), label: '2026-12' });
  });
  it('reports only the overage not yet recorded', () => {
    expect(overageIncrement(900n, 1_000n, 0n)).toBe(0n);
    expect(overageIncrement(1_250n, 1_000n, 0n)).toBe(250n);
    expect(overageIncrement(1_250n, 1_000n, 200n)).toBe(50n);
    expect(overageIncrement(1_250n, 1_000n, 250n)).toBe(0n);
    expect(overageIncrement(1_250n, 2_000n, 250n)).toBe(0n);
  });
  it('derives one identifier per increment', () => {
    expect(reportIdentifier('o', '2026-11', 250n)).toBe('quorum-o-2026-11-250');
    expect(reportIdentifier('o', '2026-11', 250n)).not.toBe(reportIdentifier('o', '2026-11', 0n));
  });
});
