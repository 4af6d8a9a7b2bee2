import { BlocklistState } from './blocklist-state.js';
import type { StoredEntry, VersionInfo } from './blocklist.types.js';

const at = (minutes: number) => new Date(Date.parse('2026-11-25T17:00:00.000Z') + minutes * 60_000);
const entry = (ip: string, version: number, score = 1): StoredEntry => ({
  value: ip,
  ipKey: ip,
  scope: 'ip',
  scenarioClass: 'ssh',
  score,
  until: at(600),
  addedInVersion: version,
});
const version = (id: number): VersionInfo => ({ id, createdAt: at(id), added: 0, removed: 0, total: 0 });

describe('BlocklistState', () => {
  it('moves forward from the rows each version opened and closed', () => {
    const state = new BlocklistState();
    state.replace([entry('192.0.2.1', 1), entry('192.0.2.2', 1)], [version(1)], 1);
    expect(state.version).toBe(1);
    expect(state.createdAt(0)).toBe(at(1).getTime());
    state.apply([version(2), version(3)], [entry('192.0.2.2', 3, 9), entry('192.0.2.3', 2)], [entry('192.0.2.1', 1), entry('192.0.2.2', 1)], 1);
    expect(state.version).toBe(3);
    expect(state.entries().map((e) => `${e.value}@${e.addedInVersion}`).sort()).toEqual(['192.0.2.2@3', '192.0.2.3@2']);
    expect([...state.ranked()].map((e) => e.value)).toEqual(['192.0.2.2', '192.0.2.3']);
  });

  it('refuses a gap and forgets versions older than the kept history', () => {
    const state = new BlocklistState();
    state.replace([], [version(4), version(5)], 4);
    expect(() => state.apply([version(7)], [], [], 4)).toThrow(/does not follow/);
    state.apply([version(6)], [], [], 5);
    expect(state.oldestVersion).toBe(5);
    expect(state.createdAt(4)).toBeUndefined();
    expect(state.createdAt(0)).toBeUndefined();
    expect(state.createdAt(6)).toBe(at(6).getTime());
  });
});
