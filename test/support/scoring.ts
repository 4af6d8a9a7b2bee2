import { ConsensusService, type TickReport } from '../../src/consensus/consensus.service.js';
import type { TestApp } from '../setup/test-app.js';
import { waitFor } from './waits.js';

/** One scoring run; retried (bounded) while another process holds the scoring lock. Fails on timeout. */
export function scoringRun(t: TestApp, timeoutMs = 15_000): Promise<TickReport> {
  const consensus = t.app.get(ConsensusService);
  return waitFor('a scoring run that is not skipped (another process may hold the scoring lock)', timeoutMs, async () => {
    const report = await consensus.tick();
    return report.outcome === 'done' ? report : null;
  }, 100);
}
