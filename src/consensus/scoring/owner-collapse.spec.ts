import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing } from '../simulator/scenario.js';
import { trustLowerBound } from './trust.js';

describe('owner collapse (fixture owner-collapse.json)', () => {
  const run = runFixture<{ listings: ResultListing[] }>('owner-collapse');

  it('counts the three agents of one owner as one voter', () => {
    expect(run.engine.explain('45.4.4.6', run.at(61))).toMatchObject({ V: 2, D_AS: 2, E: 2 });
  });

  it("uses the owner's best reporting agent for its weight", () => {
    const before = runFixture('owner-collapse', {}, (sc) => ({ ...sc, events: sc.events.filter((e) => e.t < '2026-01-10T00:05:00.000Z') }));
    const s = before.engine.explain('45.4.4.4', before.at(61));
    expect(s).toMatchObject({ V: 3, E: 3 });
    expect(s?.S).toBeCloseTo(3 * trustLowerBound(40, 3, 1.645), 3);
  });

  it('lists once a fourth owner joins', () => {
    expect(run.result.listings).toEqual(run.fixture.expect.listings);
  });
});
