import { interleavedSchedule } from './schedule.js';

describe('interleavedSchedule', () => {
  it('alternates the order every round', () => {
    const order = interleavedSchedule(['a', 'b', 'c'], 3).map((r) => `${r.round}${r.server}`);
    expect(order).toEqual(['0a', '0b', '0c', '1c', '1b', '1a', '2a', '2b', '2c']);
  });

  it('gives every server the same number of runs', () => {
    const runs = interleavedSchedule(['base', 'app'], 4);
    expect(runs.filter((r) => r.server === 'base')).toHaveLength(4);
    expect(runs.filter((r) => r.server === 'app')).toHaveLength(4);
  });
});
