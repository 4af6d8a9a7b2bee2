import { partitionDay, partitionFor, partitionsAround } from './signal-partitions.js';

describe('signal day partitions', () => {
  it('names and bounds a UTC day', () => {
    expect(partitionFor(Date.UTC(2026, 10, 25))).toEqual({ name: 'signal_p20261125', from: '2026-11-25', to: '2026-11-26' });
  });

  it('covers yesterday to a week ahead across a month end', () => {
    const parts = partitionsAround(new Date('2026-11-30T23:59:59Z'), 1, 7);
    expect(parts).toHaveLength(9);
    expect(parts[0].name).toBe('signal_p20261129');
    expect(parts[2]).toEqual({ name: 'signal_p20261201', from: '2026-12-01', to: '2026-12-02' });
  });

  it('parses names back, and ignores foreign tables', () => {
    expect(partitionDay('signal_p20261125')).toBe(Date.UTC(2026, 10, 25));
    expect(partitionDay('signal_default')).toBeNull();
  });
});
