import { BlocklistState } from './blocklist-state.js';
import type { StoredEntry, VersionInfo } from './blocklist.types.js';
import { RankedList } from './ranked-list.js';
import { rankEntries } from './ranking.js';

const base = Date.parse('2026-11-25T17:00:00.000Z');

/** A deterministic pseudo-random source (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function randomEntry(next: () => number, version: number): StoredEntry {
  const v6 = next() < 0.2;
  const value = v6
    ? `2001:db8:${Math.floor(next() * 0xffff).toString(16)}::/64`
    : `${10 + Math.floor(next() * 3)}.${Math.floor(next() * 4)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`;
  return {
    value,
    ipKey: value,
    scope: v6 ? 'range' : 'ip',
    scenarioClass: next() < 0.5 ? 'ssh-bruteforce' : 'http-probing',
    // Few distinct scores and expiries, so ties reach the address and text comparisons.
    score: Math.floor(next() * 4) / 2,
    until: new Date(base + Math.floor(next() * 3) * 3_600_000),
    addedInVersion: version,
  };
}

const values = (list: Iterable<StoredEntry>): string[] => [...list].map((e) => `${e.value}@${e.addedInVersion}`);

describe('RankedList', () => {
  it('stays in the order rankEntries gives, through thousands of additions and removals', () => {
    const next = lcg(7);
    const list = new RankedList();
    const open = new Map<string, StoredEntry>();
    for (let version = 1; version <= 40; version++) {
      for (let k = 0; k < 150; k++) {
        const entry = randomEntry(next, version);
        const current = open.get(entry.ipKey);
        if (current) expect(list.remove(current)).toBe(true);
        open.set(entry.ipKey, entry);
        list.add(entry);
      }
      const keys = [...open.keys()];
      for (let k = 0; k < 60 && keys.length > 0; k++) {
        const key = keys[Math.floor(next() * keys.length)];
        const current = open.get(key);
        if (!current) continue;
        expect(list.remove(current)).toBe(true);
        open.delete(key);
      }
      expect(list.size).toBe(open.size);
    }
    expect(open.size).toBeGreaterThan(2_000);
    expect(values(list)).toEqual(values(rankEntries([...open.values()]) as StoredEntry[]));
    expect(values(list.toArray())).toEqual(values(list));
  });

  it('removes only the row named by ipKey and version, and reports a row it does not hold', () => {
    const list = new RankedList();
    const a = { ...randomEntry(lcg(1), 1), value: '192.0.2.1', ipKey: '192.0.2.1' };
    const again = { ...a, addedInVersion: 2 };
    list.reset([a, again]);
    expect(list.remove({ ...a, addedInVersion: 3 })).toBe(false);
    expect(list.remove({ ...a })).toBe(true);
    expect(values(list)).toEqual(['192.0.2.1@2']);
    expect(list.remove(a)).toBe(false);
  });

  it('reset sorts once; an empty list iterates nothing and removes nothing', () => {
    const next = lcg(3);
    const entries = Array.from({ length: 3_000 }, (_, i) => randomEntry(next, i + 1));
    const list = new RankedList();
    expect(values(list)).toEqual([]);
    expect(list.remove(entries[0])).toBe(false);
    list.reset(entries);
    expect(values(list)).toEqual(values(rankEntries(entries) as StoredEntry[]));
  });
});

describe('BlocklistState ranking across versions', () => {
  it('matches a full sort of the open rows after each applied version', () => {
    const next = lcg(11);
    const state = new BlocklistState();
    const version = (id: number): VersionInfo => ({ id, createdAt: new Date(base + id * 1_000), added: 0, removed: 0, total: 0 });
    state.replace([], [version(1)], 1);
    const open = new Map<string, StoredEntry>();
    for (let id = 2; id <= 25; id++) {
      const opened = new Map<string, StoredEntry>();
      for (let k = 0; k < 200; k++) {
        const entry = randomEntry(next, id);
        opened.set(entry.ipKey, entry);
      }
      // Rows of keys reopened in this version are closed by it, plus a few plain removals.
      const closed = [...opened.keys()].map((key) => open.get(key)).filter((e): e is StoredEntry => e !== undefined);
      for (const [key, entry] of open) if (next() < 0.05 && !opened.has(key)) closed.push(entry);
      state.apply([version(id)], [...opened.values()], closed.map((e) => ({ ...e })), 1);
      for (const e of closed) open.delete(e.ipKey);
      for (const [key, entry] of opened) open.set(key, entry);
      expect(values(state.ranked())).toEqual(values(rankEntries([...open.values()]) as StoredEntry[]));
    }
  });

  it('ranks on first use: versions applied before it, a reload after it, and versions applied after both', () => {
    const next = lcg(13);
    const state = new BlocklistState();
    const version = (id: number): VersionInfo => ({ id, createdAt: new Date(base + id * 1_000), added: 0, removed: 0, total: 0 });
    const open = new Map<string, StoredEntry>();
    const step = (id: number) => {
      const opened = Array.from({ length: 300 }, () => randomEntry(next, id)).filter((e, i, all) => all.findIndex((o) => o.ipKey === e.ipKey) === i);
      const closed: StoredEntry[] = [];
      for (const e of opened) {
        const current = open.get(e.ipKey);
        if (current) closed.push(current);
      }
      for (const [key, entry] of open) if (next() < 0.1 && !opened.some((e) => e.ipKey === key)) closed.push(entry);
      state.apply([version(id)], opened, closed, 1);
      for (const e of closed) open.delete(e.ipKey);
      for (const e of opened) open.set(e.ipKey, e);
    };
    const expectRanked = () => expect(values(state.ranked())).toEqual(values(rankEntries([...open.values()]) as StoredEntry[]));

    const first = Array.from({ length: 1_000 }, () => randomEntry(next, 1)).filter((e, i, all) => all.findIndex((o) => o.ipKey === e.ipKey) === i);
    state.replace(first, [version(1)], 1);
    for (const e of first) open.set(e.ipKey, e);
    for (let id = 2; id <= 4; id++) step(id);
    expectRanked();
    for (let id = 5; id <= 7; id++) step(id);
    expectRanked();

    // A reload replaces the ranked list too: nothing of the list ranked before it may remain.
    const reloaded = Array.from({ length: 500 }, () => randomEntry(next, 7)).filter((e, i, all) => all.findIndex((o) => o.ipKey === e.ipKey) === i);
    state.replace(reloaded, [version(7)], 1);
    open.clear();
    for (const e of reloaded) open.set(e.ipKey, e);
    expectRanked();
    step(8);
    expectRanked();
  });
});
