import { ConsensusService, type TickReport } from '../../src/consensus/consensus.service.js';
import type { TestApp } from '../setup/test-app.js';

/** One scoring run; retried (bounded) while another process holds the scoring lock. */
export async function scoringRun(t: TestApp, timeoutMs = 15_000): Promise<TickReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await t.app.get(ConsensusService).tick();
    if (report.outcome === 'done' || Date.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
