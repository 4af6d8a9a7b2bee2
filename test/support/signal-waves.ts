import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import type { SeededRng } from './seeded-rng.js';

/** One signed batch of `ips` from `agent`, which must be accepted. */
export async function pushSignals(app: NestFastifyApplication, agent: TestAgent, ips: string[]): Promise<void> {
  const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
  const res = await app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
  expect(res.statusCode).toBe(200);
}

/**
 * `count` new IPs, each reported by 6 of `agents` drawn at random (one owner and network each: listed)
 * or, one in four, by 2 (not listed). Random sets: owners that always co-report would be a ring to the
 * collusion detector, and fewer than 6 networks make a new listing wait (docs/consensus.md).
 */
export async function ingestWave(app: NestFastifyApplication, agents: readonly TestAgent[], rng: SeededRng, count: number): Promise<void> {
  const byAgent = new Map<number, string[]>();
  for (let k = 0; k < count; k++) {
    const ip = attackerIp();
    const voters = new Set<number>();
    while (voters.size < (k % 4 === 3 ? 2 : 6)) voters.add(rng.int(agents.length));
    for (const a of voters) byAgent.set(a, [...(byAgent.get(a) ?? []), ip]);
  }
  for (const [a, ips] of byAgent) await pushSignals(app, agents[a], ips);
}
