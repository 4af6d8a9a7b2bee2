import { SignalGaps } from './signal-gaps.js';

const ids = (...n: number[]) => n.map(BigInt);

describe('SignalGaps', () => {
  it('remembers ids read past until they show up', () => {
    const gaps = new SignalGaps(60_000);
    // Cursor at 10; a run reads 11, 12 and 16–17 (13–15 belong to a batch still in flight).
    gaps.noteRead(10n, ids(11, 12, 16, 17), 0);
    expect(gaps.due(1_000)).toEqual(ids(13, 14, 15));
    gaps.found(ids(13, 14));
    // The next run reads on from 17; 15 is still missing.
    gaps.noteRead(17n, ids(18, 19), 2_000);
    expect(gaps.due(3_000)).toEqual(ids(15));
  });

  it('forgets ids that never show up (rolled back) after the ttl', () => {
    const gaps = new SignalGaps(60_000);
    gaps.noteRead(0n, ids(5), 0);
    expect(gaps.size).toBe(4);
    expect(gaps.due(59_999)).toHaveLength(4);
    expect(gaps.due(60_000)).toEqual([]);
    expect(gaps.size).toBe(0);
  });

  it('ignores gaps too wide to be batches in flight and caps what it tracks', () => {
    const gaps = new SignalGaps(60_000, 100n, 50);
    gaps.noteRead(0n, ids(1_000), 0);
    expect(gaps.size).toBe(0);
    gaps.noteRead(1_000n, ids(1_081), 0);
    expect(gaps.size).toBe(50);
  });

});
