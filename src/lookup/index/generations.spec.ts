import { completeGeneration } from './generations.js';

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
