import type { ListingChange, StoredEntry, ViewSpec } from '../blocklist.types.js';
import { planVersion, wantedListings } from '../publish-plan.js';
import { rankEntries, selectView } from '../ranking.js';
import { fullViewDelta, rankedViewDelta, type Delta } from './delta.js';

/**
 * Model check: random version histories built with the publishing rules (publish-plan.ts, expired
 * rows closed at each version), then for every pair of versions and several client download times,
 * applying the delta to the client's list must give exactly the current view.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-25T00:00:00.000Z');

interface Version {
  id: number;
  createdAtMs: number;
  rows: Map<string, StoredEntry>;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function history(seed: number, versions: number): Version[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const keys = Array.from({ length: 40 }, (_, i) => (i % 8 === 7 ? `2001:db8:${i}:1::/64` : `198.51.100.${i + 1}`));
  const out: Version[] = [{ id: 0, createdAtMs: T0, rows: new Map() }];
  for (let id = 1; id <= versions; id++) {
    const previous = out[id - 1];
    const createdAtMs = previous.createdAtMs + (5 + Math.floor(random() * 20)) * MINUTE;
    const changes: ListingChange[] = [];
    for (let i = 0; i < 3 + Math.floor(random() * 10); i++) {
      const ipKey = pick(keys);
      changes.push({
        ipKey,
        value: ipKey,
        scope: 'ip',
        scenarioClass: pick(['ssh', 'http', 'smtp']),
        score: pick([1, 2, 2, 3, 5]),
        until: new Date(createdAtMs + Math.floor(random() * 90 - 5) * MINUTE),
        kind: random() < 0.2 ? 'remove' : 'upsert',
      });
    }
    const rows = new Map(previous.rows);
    const open = [...rows.values()].map((row) => ({ ...row, id: `${row.ipKey}@${row.addedInVersion}` }));
    const plan = planVersion(wantedListings(changes, { ipv6Prefix: 64, now: new Date(createdAtMs) }).wanted, open);
    for (const id of plan.close) rows.delete(id.split('@')[0]);
    for (const [key, row] of rows) if (row.until.getTime() <= createdAtMs) rows.delete(key);
    for (const row of plan.open) rows.set(row.ipKey, { ...row, addedInVersion: id });
    out.push({ id, createdAtMs, rows });
  }
  return out;
}

const identity = (e: StoredEntry) => `${e.ipKey}@${e.addedInVersion}`;

function view(rows: Map<string, StoredEntry>, spec: ViewSpec, atMs: number): StoredEntry[] {
  return selectView([...rows.values()], { limit: spec.limit, scenarios: spec.scenarios, now: new Date(atMs) }) as StoredEntry[];
}

function applyDelta(client: StoredEntry[], delta: Delta): string[] {
  const byValue = new Map(client.map((e) => [e.value, e]));
  for (const e of delta.removed) byValue.delete(e.value);
  for (const e of delta.added) byValue.set(e.value, e);
  return [...byValue.values()].map(label).sort();
}

const label = (e: StoredEntry) => `${e.value} ${e.scope} ${e.scenarioClass} ${e.score} ${e.until.toISOString()}`;

function deltaFor(versions: Version[], since: number, spec: ViewSpec, nowMs: number): Delta {
  const cur = versions[versions.length - 1];
  const s = versions[since];
  const curIds = new Set([...cur.rows.values()].map(identity));
  const sIds = new Set([...s.rows.values()].map(identity));
  const closed = [...s.rows.values()].filter((e) => !curIds.has(identity(e)));
  const window = { spec, since, sinceCreatedAtMs: s.createdAtMs, nowMs, closed };
  if (spec.limit === Infinity) {
    const opened = [...cur.rows.values()].filter((e) => !sIds.has(identity(e)));
    const expiring = [...cur.rows.values()].filter((e) => sIds.has(identity(e)) && e.until.getTime() > s.createdAtMs && e.until.getTime() <= nowMs);
    return fullViewDelta(window, opened, expiring);
  }
  return rankedViewDelta(window, rankEntries([...cur.rows.values()]) as StoredEntry[], cur.createdAtMs);
}

describe('blocklist deltas', () => {
  const specs: ViewSpec[] = [
    { tier: 'full', limit: Infinity, scenarios: [] },
    { tier: 'full', limit: Infinity, scenarios: ['http', 'ssh'] },
    { tier: 'community', limit: 5, scenarios: [] },
    { tier: 'contributor', limit: 12, scenarios: ['ssh'] },
    { tier: 'contributor', limit: 1000, scenarios: [] },
  ];

  it.each([1, 2, 3, 4, 5, 6])('bring any client list of any version to the current view exactly (history %i)', (seed) => {
    const versions = history(seed, 12);
    const cur = versions[versions.length - 1];
    let checked = 0;
    for (const spec of specs) {
      for (const nowMs of [cur.createdAtMs, cur.createdAtMs + 17 * MINUTE, cur.createdAtMs + 50 * MINUTE]) {
        const expected = view(cur.rows, spec, nowMs).map(label).sort();
        for (let since = 0; since < versions.length; since++) {
          const delta = deltaFor(versions, since, spec, nowMs);
          const s = versions[since];
          // The client downloaded version `since` at some moment between its creation and now.
          for (const fraction of [0, 0.3, 0.7, 1]) {
            const fetchedAt = s.createdAtMs + Math.floor((nowMs - s.createdAtMs) * fraction);
            expect(applyDelta(view(s.rows, spec, fetchedAt), delta)).toEqual(expected);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(specs.length * 3 * versions.length * 4);
  });

  it('send nothing when nothing changed, and only what changed otherwise', () => {
    const versions = history(7, 6);
    const cur = versions[versions.length - 1];
    const spec: ViewSpec = { tier: 'full', limit: Infinity, scenarios: [] };
    const none = deltaFor(versions, versions.length - 1, spec, cur.createdAtMs);
    expect(none.added).toEqual([]);
    expect(none.removed).toEqual([]);
    const previous = versions[versions.length - 2];
    const delta = deltaFor(versions, previous.id, spec, cur.createdAtMs);
    const before = new Set([...previous.rows.values()].map(identity));
    expect(delta.added.every((e) => !before.has(identity(e)))).toBe(true);
    expect(delta.removed.every((e) => before.has(identity(e)))).toBe(true);
  });

  it('list an entry in removed once its until has passed, without a new version', () => {
    const versions = history(8, 4);
    const cur = versions[versions.length - 1];
    const spec: ViewSpec = { tier: 'full', limit: Infinity, scenarios: [] };
    const entry = [...cur.rows.values()].sort((a, b) => a.until.getTime() - b.until.getTime())[0];
    const before = deltaFor(versions, cur.id, spec, entry.until.getTime() - 1);
    const after = deltaFor(versions, cur.id, spec, entry.until.getTime());
    expect(before.removed.map((e) => e.value)).not.toContain(entry.value);
    expect(after.removed.map((e) => e.value)).toContain(entry.value);
    expect(after.lastExpiryMs).toBe(entry.until.getTime());
  });

  it('give the same result in the same order whatever order rows arrive in', () => {
    const versions = history(9, 8);
    const spec: ViewSpec = { tier: 'full', limit: Infinity, scenarios: [] };
    const cur = versions[versions.length - 1];
    const a = deltaFor(versions, 2, spec, cur.createdAtMs);
    const reversed = versions.map((v) => ({ ...v, rows: new Map([...v.rows].reverse()) }));
    const b = deltaFor(reversed, 2, spec, cur.createdAtMs);
    expect(b.added.map(label)).toEqual(a.added.map(label));
    expect(b.removed.map(label)).toEqual(a.removed.map(label));
  });
});
