import { hostname } from 'node:os';

import { loadRegistration, saveRegistration } from '../agent/agent-state.js';
import { loadConfig } from '../config.js';
import { selectScenarios } from '../detect/scenario-set.js';
import type { FetchLike } from '../http/http-request.js';
import { ApiError, QuorumApi } from '../http/quorum-api.js';
import { loadPrivateKey } from '../sign/agent-keys.js';
import { CliError, type CliIo } from './cli-io.js';

export interface RegisterOptions {
  configPath: string;
  enrollKey?: string;
  name?: string;
  tags: string[];
  force: boolean;
  fetchImpl?: FetchLike;
}

/** Enrolls this agent's public key with the server and stores the agent id it gets back. */
export async function registerAgent(o: RegisterOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(o.configPath);
  const existing = await loadRegistration(config.stateDir);
  if (existing && !o.force) throw new CliError(`already registered as ${existing.agent_id} with ${existing.server} (--force registers again)`);
  const api = new QuorumApi({ baseUrl: config.server.url, timeoutMs: config.server.timeoutMs, privateKey: await loadPrivateKey(config.privateKeyFile), fetchImpl: o.fetchImpl });
  const { scenarios, crossIpScenarios } = selectScenarios(config.scenarios);
  let id: string;
  try {
    ({ id } = await api.enroll({ name: o.name ?? hostname().slice(0, 64), enrollKey: o.enrollKey, tags: o.tags.length > 0 ? o.tags : undefined, scenarios: [...scenarios, ...crossIpScenarios].map((s) => s.name) }));
  } catch (e) {
    throw new CliError(`registration failed: ${(e as Error).message}`);
  }
  await saveRegistration(config.stateDir, { agent_id: id, server: config.server.url, registered_at: new Date().toISOString() });
  try {
    await api.login();
  } catch (e) {
    io.err(`warning: registered, but the first login failed: ${(e as Error).message}${e instanceof ApiError && e.status === 403 ? ' (the agent may wait for approval)' : ''}\n`);
  }
  io.out(`registered as agent ${id} with ${config.server.url}\n`);
  return 0;
}
