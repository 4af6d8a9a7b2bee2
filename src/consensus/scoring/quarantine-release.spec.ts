import { runFixture } from '../simulator/fixture-run.js';
import type { ResultListing } from '../simulator/scenario.js';
import { ConsensusEngine } from './engine.js';

describe('operator release of a quarantine (docs/operators.md, "Community")', () => {
  const fresh = () => runFixture<{ listings: ResultListing[]; quarantined: { agent: string; at: string }[]; votersAfter: number }>('canary-quarantine');

  it('releases a quarantine that began before the request: weight again, its cases forgotten', () => {
    const run = fresh();
    const quarantinedAt = run.engine.reporter('r', run.at(600))!.quarantinedAt!;
    expect(run.engine.isQuarantined('r')).toBe(true);
    expect(run.engine.releaseQuarantine('r', quarantinedAt + 1_000)).toBe(true);
    expect(run.engine.isQuarantined('r')).toBe(false);
    const view = run.engine.reporter('r', run.at(600))!;
    expect(view.quarantinedAt).toBeNull();
    expect(view.weight).toBeGreaterThan(0);
    expect(run.engine.state.reporters.contradicted[run.engine.reporterIndex('r')]).toBeUndefined();
    // a second release has nothing to release
    expect(run.engine.releaseQuarantine('r', quarantinedAt + 2_000)).toBe(false);
  });

  it('keeps a quarantine that began after the request (new evidence), and ignores unknown reporters', () => {
    const run = fresh();
    const quarantinedAt = run.engine.reporter('r', run.at(600))!.quarantinedAt!;
    expect(run.engine.releaseQuarantine('r', quarantinedAt - 1)).toBe(false);
    expect(run.engine.isQuarantined('r')).toBe(true);
    expect(run.engine.releaseQuarantine('nobody', quarantinedAt + 1)).toBe(false);
  });

  it('survives a snapshot: the restored engine holds the release', () => {
    const run = fresh();
    const quarantinedAt = run.engine.reporter('r', run.at(600))!.quarantinedAt!;
    run.engine.releaseQuarantine('r', quarantinedAt + 1);
    const restored = ConsensusEngine.restore(JSON.parse(JSON.stringify(run.engine.snapshot())));
    expect(restored.isQuarantined('r')).toBe(false);
    expect(restored.reporter('r', run.at(600))!.weight).toBeGreaterThan(0);
  });
});
