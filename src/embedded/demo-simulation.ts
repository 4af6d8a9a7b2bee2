import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { DemoAgent, type DemoAgentFile, type HttpClient } from './demo-agents.js';
import { establishDemoReporters } from './demo-seed.js';

/** The addresses of the demo's ongoing attack (a documentation-free, routable range). */
export function campaignAddresses(round: number): string[] {
  const steady = Array.from({ length: 6 }, (_, i) => `185.220.101.${10 + i}`);
  return [...steady, `185.220.102.${round % 250}`];
}

function signalFor(ip: string, scenario: string): object {
  const now = Date.now();
  return {
    ip,
    scenario,
    scenario_version: '0.1',
    started_at: new Date(now - 30_000).toISOString(),
    stopped_at: new Date(now - 1_000).toISOString(),
    uuid: randomUUID(),
  };
}

/** One round: every demo agent reports part of the campaign; returns the accepted batches. */
export async function demoRound(app: INestApplicationContext, agents: DemoAgent[], round: number, logger: Logger): Promise<number> {
  const targets = campaignAddresses(round);
  let accepted = 0;
  for (const [i, agent] of agents.entries()) {
    const seen = targets.filter((_, j) => (j + i + round) % 4 !== 0);
    const scenario = i % 2 === 0 ? 'crowdsecurity/ssh-bf' : 'crowdsecurity/http-probing';
    const res = await agent.push(seen.map((ip) => signalFor(ip, scenario)));
    if (res.statusCode === 200) accepted += 1;
    else logger.warn({ agent: agent.file.name, status: res.statusCode }, `demo: batch refused: ${res.body.slice(0, 200)}`);
  }
  // Logins refresh a reporter's network; keep the demo reporters aged and in their own ASNs.
  await establishDemoReporters(app, agents.map((a) => a.file));
  return accepted;
}

/** Runs rounds every `intervalMs` until stopped; the scoring job turns them into listings. */
export function startDemoSimulation(
  app: INestApplicationContext,
  http: HttpClient,
  files: DemoAgentFile[],
  logger: Logger,
  intervalMs = 5_000,
): { close(): Promise<void> } {
  const agents = files.map((file) => new DemoAgent(file, http));
  let round = 0;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = demoRound(app, agents, round++, logger)
      .then((accepted) => logger.info({ round, accepted, agents: agents.length }, 'demo: agents pushed signed signals of the ongoing attack'))
      .catch((error: Error) => logger.warn(`demo round failed: ${error.message}`));
  };
  tick();
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, intervalMs);
  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
