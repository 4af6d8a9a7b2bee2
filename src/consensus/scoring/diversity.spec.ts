import { runFixture } from '../simulator/fixture-run.js';
import { trustLowerBound } from './trust.js';

describe('per-/24 merge and per-ASN diminishing sum (fixture diversity.json)', () => {
  const run = runFixture<{ listings: unknown[] }>('diversity');
  const w = trustLowerBound(40, 3, 1.645);
  const now = run.at(61);

  it('merges one /24 by max and caps an ASN at 1', () => {
    const s = run.engine.explain('45.3.3.3', now);
    expect(s).toMatchObject({ D_AS: 2, V: 4, E: 4 });
    expect(s?.S).toBeCloseTo(1 + w, 3);
  });

  it('gives five weak voters of one ASN max + 1/2 + 1/4 + 1/8 of one vote and one ASN', () => {
    const s = run.engine.explain('45.3.3.4', now);
    expect(s).toMatchObject({ D_AS: 1, V: 5, E: 0 });
    expect(s?.S).toBeCloseTo((w / 3) * 1.875, 3);
  });

  it('lists neither', () => {
    expect(run.result.listings).toEqual([]);
  });
});
