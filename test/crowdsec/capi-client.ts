import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import type { ListingChange } from '../../src/blocklist/blocklist.types.js';
import { waitFor } from '../support/waits.js';

/** A CrowdSec-style identity: 48 alphanumeric characters and a 64-character password. */
export function watcherCredentials(): { machine_id: string; password: string } {
  const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
  return { machine_id: alnum(48), password: alnum(64) };
}

export async function registerAndLogin(app: NestFastifyApplication, prefix = 'v2'): Promise<{ token: string; machineId: string }> {
  const creds = watcherCredentials();
  const registered = await app.inject({ method: 'POST', url: `/${prefix}/watchers`, payload: creds });
  if (registered.statusCode !== 200) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const login = await app.inject({ method: 'POST', url: `/${prefix}/watchers/login`, payload: { ...creds, scenarios: [] } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  return { token: (login.json() as { token: string }).token, machineId: creds.machine_id };
}

/** Publishes a blocklist version and waits (bounded) until this process serves it. */
export async function publishAndWait(app: NestFastifyApplication, changes: ListingChange[], timeoutMs = 10_000): Promise<number> {
  const blocklist = app.get(BlocklistService);
  const published = await blocklist.publishChanges(changes, new Date());
  if (!published) throw new Error('nothing published');
  await waitFor(`blocklist version ${published.version} loaded`, timeoutMs, () => blocklist.currentVersion() >= published.version);
  return published.version;
}

export function listing(ip: string, scenarioClass: string, hours = 24, kind: 'upsert' | 'remove' = 'upsert'): ListingChange {
  return { ipKey: ip, value: ip, scope: 'ip', scenarioClass, score: 5, until: new Date(Date.now() + hours * 3_600_000), kind };
}

/** A CrowdSec 1.4.6 signal item as captured on the wire (plus fields newer engines add). */
export function capiSignal(ip: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    machine_id: 'harness-agent',
    message: `Ip ${ip} performed 'crowdsecurity/ssh-bf' (6 events over 500ms)`,
    scenario: 'crowdsecurity/ssh-bf',
    scenario_hash: '4441dcff07020f6690d998b7101e642359ba405c2abb83565bbbdcee36de280f',
    scenario_trust: 'certified',
    scenario_version: '0.1',
    source: { ip, scope: 'Ip', value: ip },
    start_at: new Date(now - 2_000).toISOString().replace('Z', '123456Z'),
    stop_at: new Date(now - 1_000).toISOString().replace('Z', '654321Z'),
    ...overrides,
  };
}

/** A public address unlikely to be used by other test files sharing the database (185.200-249.x.x). */
export function randomAttackerIp(): string {
  const r = (n: number) => Math.floor(Math.random() * n);
  return `185.${200 + r(50)}.${r(256)}.${1 + r(250)}`;
}
