import { ConsensusMatchers } from './consensus-matchers.js';
import { ConsensusRuntime } from './consensus-runtime.js';
import type { ScoringSignal } from './consensus.types.js';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');
const MIN = 60_000;

function signal(id: number, ipKey: string, atMs: number): ScoringSignal {
  return { id: BigInt(id), receivedAt: new Date(atMs), reporter: 'r1', owner: 'o1', ipKey, scope: 'ip', scenario: 'ssh-bf', at: new Date(atMs), weight: 1 };
}

describe('ConsensusRuntime sightings', () => {
  it('forgets IPs last sighted before the cutoff, keeps those sighted again since', () => {
    const matchers = new ConsensusMatchers();
    matchers.load({ categoryOf: () => null }, []);
    const runtime = new ConsensusRuntime({ params: {}, matchers, isProtected: () => false });
    runtime.ingest(signal(1, '198.51.100.1', T0), T0);
    runtime.ingest(signal(2, '198.51.100.2', T0 + MIN), T0);
    runtime.ingest(signal(3, '198.51.100.3', T0 + 2 * MIN), T0);
    // .1 is sighted again: it moves behind the others.
    runtime.ingest(signal(4, '198.51.100.1', T0 + 3 * MIN), T0);

    expect(runtime.forgetSeenBefore(T0 + 90_000)).toBe(1);
    expect([...runtime.seen.keys()]).toEqual(['198.51.100.3', '198.51.100.1']);
    expect(runtime.seen.get('198.51.100.1')).toEqual({ first: T0, last: T0 + 3 * MIN });
    expect(runtime.forgetSeenBefore(T0 + 90_000)).toBe(0);
    expect(runtime.forgetSeenBefore(T0 + 10 * MIN)).toBe(2);
    expect(runtime.seen.size).toBe(0);
  });
});
