import { ChangeSource, keyOf } from './keys.js';

describe('bench blocklist keys', () => {
  it('are unique, valid-looking addresses and /64s', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => keyOf(i));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keyOf(0)).toBe('11.0.0.0');
    expect(keyOf(9)).toBe('2a00:0:9:1::/64');
    expect(keyOf(70_000)).toBe('11.1.17.112');
  });

  it('make rounds of distinct, real changes', () => {
    const source = new ChangeSource(10_000);
    const a = source.next(1000, 0);
    const b = source.next(1000, 0);
    expect(a).toHaveLength(1000);
    expect(a.filter((c) => c.kind === 'remove')).toHaveLength(300);
    const keys = [...a, ...b].map((c) => c.ipKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 2; i < 16; i++) source.next(1000, 0);
    expect(() => source.next(1000, 0)).toThrow(/no untouched keys/);
  });
});
