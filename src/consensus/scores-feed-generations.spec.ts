import { completeGeneration, snapshotReaches } from './scores-feed-generations.js';

describe('completeGeneration', () => {
  it('trusts the newest generation once the consensus cursor has reached it', () => {
    expect(completeGeneration({ max: 7, committed: 7 })).toBe(7);
    expect(completeGeneration({ max: 0, committed: 0 })).toBe(0);
  });

  it('treats a generation above the cursor as possibly still being written', () => {
    expect(completeGeneration({ max: 8, committed: 7 })).toBe(7);
    expect(completeGeneration({ max: 100, committed: 0 })).toBe(99);
  });

  it('takes an announced generation (and all before it) as complete, up to what is visible', () => {
    expect(completeGeneration({ max: 8, committed: 7 }, 8)).toBe(8);
    expect(completeGeneration({ max: 8, committed: 7 }, 9)).toBe(8);
  });
});

describe('snapshotReaches', () => {
  it('accepts a snapshot in which the announced run committed and that is not older than what is held', () => {
    expect(snapshotReaches({ max: 8, committed: 8 }, { announced: 8, held: 8 })).toBe(true);
    expect(snapshotReaches({ max: 9, committed: 8 }, { announced: 0, held: 8 })).toBe(true);
    // Runs that wrote no row still commit their generation.
    expect(snapshotReaches({ max: 5, committed: 9 }, { announced: 9, held: 5 })).toBe(true);
  });

  it('refuses a lagging snapshot: the announced run not committed yet, or older than what is held', () => {
    // Rows of generation 9 partly replayed, its cursor not yet: announcing 9 must not make them complete.
    expect(snapshotReaches({ max: 9, committed: 8 }, { announced: 9, held: 8 })).toBe(false);
    expect(snapshotReaches({ max: 7, committed: 7 }, { announced: 0, held: 8 })).toBe(false);
    expect(snapshotReaches({ max: 0, committed: 0 }, { announced: 0, held: 1 })).toBe(false);
  });
});
