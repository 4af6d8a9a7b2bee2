import { randomUUID } from 'node:crypto';

// Random start: test files share the database within one run, and must not reuse each other's targets.
let counter = Math.floor(Math.random() * 0xffffff);

/** A routable attacker address (documentation and reserved ranges are rejected by ingestion). */
export function attackerIp(): string {
  counter++;
  return `185.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
}

export function signal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    ip: attackerIp(),
    scenario: 'crowdsecurity/ssh-bf',
    scenario_version: '0.1',
    started_at: new Date(now - 60_000).toISOString(),
    stopped_at: new Date(now - 1_000).toISOString(),
    uuid: randomUUID(),
    ...overrides,
  };
}
