import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { FollowPosition } from '../detect/file-follower.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { isRecord } from '../util/json-check.js';

/** What `register` stores: the id the server gave this agent. */
export interface Registration {
  agent_id: string;
  server: string;
  registered_at: string;
}

export const stateFiles = (stateDir: string) => ({
  registration: join(stateDir, 'agent.json'),
  spool: join(stateDir, 'spool.jsonl'),
  positions: join(stateDir, 'positions.json'),
  blocklist: join(stateDir, 'blocklist-state.json'),
  localDecisions: join(stateDir, 'local-decisions.json'),
});

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function loadRegistration(stateDir: string): Promise<Registration | null> {
  const v = await readJson(stateFiles(stateDir).registration);
  return isRecord(v) && typeof v.agent_id === 'string' && typeof v.server === 'string' ? (v as unknown as Registration) : null;
}

export async function saveRegistration(stateDir: string, r: Registration): Promise<void> {
  await writeFileAtomic(stateFiles(stateDir).registration, `${JSON.stringify(r, null, 2)}\n`, 0o600);
}

function isPosition(v: unknown): v is FollowPosition {
  return isRecord(v) && typeof v.dev === 'string' && typeof v.ino === 'string' && typeof v.offset === 'number' && typeof v.headLength === 'number' && typeof v.headSha256 === 'string';
}

/** Read positions per log path; anything unreadable just means "start per startAt". */
export async function loadPositions(stateDir: string): Promise<Map<string, FollowPosition>> {
  let v: unknown;
  try {
    v = await readJson(stateFiles(stateDir).positions);
  } catch {
    v = null;
  }
  const out = new Map<string, FollowPosition>();
  if (isRecord(v)) for (const [path, p] of Object.entries(v)) if (isPosition(p)) out.set(path, p);
  return out;
}

export async function savePositions(stateDir: string, positions: Map<string, FollowPosition>): Promise<void> {
  await writeFileAtomic(stateFiles(stateDir).positions, JSON.stringify(Object.fromEntries(positions)), 0o600);
}
