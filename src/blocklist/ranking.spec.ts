import { compareRank, rankEntries, selectView } from './ranking.js';
import type { BlocklistEntry } from './render/types.js';

const base = Date.parse('2026-11-25T17:00:00.000Z');
const e = (value: string, score: number, untilHours = 24, scenarioClass = 'ssh-bruteforce'): BlocklistEntry => ({
  value,
  scope: value.includes('/') ? 'range' : 'ip',
  scenarioClass,
  score,
  until: new Date(base + untilHours * 3_600_000),
});
const values = (list: readonly BlocklistEntry[]): string[] => list.map((x) => x.value);

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('rankEntries', () => {
  it('orders by score, then later until, then numeric address, then text', () => {
    const list = [
      e('10.0.0.1', 5, 10),
      e('9.0.0.1', 5, 10),
      e('10.0.0.0/24', 5, 10),
      e('2001:db8::1', 5, 10),
      e('192.0.2.1', 5, 48),
      e('192.0.2.2', 7, 1),
      e('::1', 5, 10),
      e('198.51.100.1', Number.NaN, 99),
      e('198.51.100.2', -1, 1),
      e('10.0.0.1', 5, 10, 'http-probing'),
      e('10.0.0.01', 5, 10),
    ];
    expect(values(rankEntries(list))).toEqual([
      '192.0.2.2', // highest score
      '192.0.2.1', // score 5, latest until
      '9.0.0.1', // then numeric order: 9 < 10 (text order would put 10 first)
      '10.0.0.0/24', // same network, shorter prefix first
      '10.0.0.1', // http-probing before ssh-bruteforce
      '10.0.0.1',
      '::1', // IPv6 after IPv4
      '2001:db8::1',
      '10.0.0.01', // not an address: after every address
      '198.51.100.2', // score -1
      '198.51.100.1', // NaN score ranks last
    ]);
    expect(rankEntries(list)[4].scenarioClass).toBe('http-probing');
  });

  it('gives the same list whatever the input order', () => {
    const list: BlocklistEntry[] = [];
    for (let i = 0; i < 2000; i++) list.push(e(`10.${i % 7}.${i % 13}.${i % 251}`, i % 5, i % 3, `c${i % 4}`));
    const expected = rankEntries(list);
    for (const seed of [1, 2, 3]) expect(rankEntries(shuffled(list, seed))).toEqual(expected);
  });

  it('agrees with compareRank and does not modify its input', () => {
    const list = [e('10.0.0.2', 1), e('10.0.0.1', 1), e('10.0.0.3', 2)];
    const copy = [...list];
    const ranked = rankEntries(list);
    expect(list).toEqual(copy);
    expect(values(ranked)).toEqual(values([...list].sort(compareRank)));
    expect(compareRank(list[1], list[0])).toBeLessThan(0);
    expect(compareRank(list[0], list[0])).toBe(0);
  });
});

describe('selectView', () => {
  const list: BlocklistEntry[] = [];
  for (let i = 0; i < 500; i++) {
    list.push(e(`198.51.${i >> 8}.${i & 255}`, i % 17, 1 + (i % 5), i % 3 === 0 ? 'http-probing' : 'ssh-bruteforce'));
  }

  it('is the top of the full ranking, cut at the limit, including across tied scores', () => {
    const full = rankEntries(list);
    for (const limit of [0, 1, 29, 30, 31, 100, 499, 500, 10_000, Infinity]) {
      expect(selectView(shuffled(list, limit === Infinity ? 9 : limit + 1), { limit })).toEqual(full.slice(0, limit));
    }
  });

  it('keeps only the declared scenario classes; none declared means all', () => {
    const view = selectView(list, { limit: 50, scenarios: ['http-probing'] });
    expect(view).toHaveLength(50);
    expect(view.every((x) => x.scenarioClass === 'http-probing')).toBe(true);
    expect(view).toEqual(rankEntries(list.filter((x) => x.scenarioClass === 'http-probing')).slice(0, 50));
    expect(selectView(list, { limit: 50, scenarios: [] })).toEqual(selectView(list, { limit: 50 }));
    expect(selectView(list, { limit: 50, scenarios: ['nothing'] })).toEqual([]);
  });

  it('drops entries at their until', () => {
    const now = new Date(base + 3 * 3_600_000);
    const view = selectView(list, { limit: Infinity, now });
    expect(view.every((x) => x.until.getTime() > now.getTime())).toBe(true);
    expect(view).toHaveLength(list.filter((x) => x.until.getTime() > now.getTime()).length);
    expect(view.length).toBeLessThan(list.length);
  });

  it('refuses a negative or NaN limit', () => {
    expect(() => selectView(list, { limit: -1 })).toThrow(RangeError);
    expect(() => selectView(list, { limit: Number.NaN })).toThrow(RangeError);
  });

  it('selects a 3,000-entry tier from 200,000 entries quickly', () => {
    const big: BlocklistEntry[] = [];
    for (let i = 0; i < 200_000; i++) big.push(e(`${1 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.1`, (i * 7919) % 10_007, i % 97));
    const started = performance.now();
    const view = selectView(big, { limit: 3000 });
    const elapsed = performance.now() - started;
    expect(view).toHaveLength(3000);
    expect(view[0].score).toBe(10_006);
    expect(view.every((x, k) => k === 0 || compareRank(view[k - 1], x) < 0)).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });
});
