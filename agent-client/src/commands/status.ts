import { readFile } from 'node:fs/promises';

import { loadRegistration } from '../agent/agent-state.js';
import { loadConfig } from '../config.js';
import type { CliIo } from './cli-io.js';

/**
 * Prints the registration and the running agent's status file, and whether it looks alive. The spool
 * is not opened: the running agent owns it.
 */
export async function showStatus(configPath: string, io: CliIo, now = Date.now()): Promise<number> {
  const config = await loadConfig(configPath);
  const registration = await loadRegistration(config.stateDir);
  let running: unknown;
  try {
    running = JSON.parse(await readFile(config.statusFile, 'utf8'));
  } catch {
    running = null;
  }
  const r = running as { updatedAt?: string; stoppedAt?: string } | null;
  const age = r?.updatedAt ? now - Date.parse(r.updatedAt) : null;
  const state = r === null ? 'never ran' : r.stoppedAt ? 'stopped' : age !== null && age < 60_000 ? 'running' : 'not running (status file is stale)';
  io.out(`${JSON.stringify({ server: config.server.url, registration, state, status: running }, null, 2)}\n`);
  return registration ? 0 : 3;
}
