import { NoveltyBudget } from './novelty.js';
import { resolveParams } from './params.js';

const DAY = 86_400_000;

describe('novelty budget charge log', () => {
  const p = resolveParams({ noveltyBudget: 3 });

  it('counts live charges in the rolling window, with refunds and duplicates', () => {
    const b = new NoveltyBudget(p);
    b.charge(1, 1000);
    b.charge(1, 2000);
    b.charge(1, 2000);
    b.charge(1, 1500); // out of order: sorted insert
    expect(b.used(1, 3000)).toBe(4);
    expect(b.exhausted(1, 3000)).toBe(true);
    b.refund(1, 2000);
    expect(b.used(1, 3000)).toBe(3);
    b.refund(1, 2000);
    b.refund(1, 2000); // nothing left at 2000: ignored
    b.refund(1, 999); // never charged: ignored
    expect(b.used(1, 3000)).toBe(2);
    expect(b.export()).toEqual([[1, [1000, 1500]]]);
    expect(b.used(1, 1000 + DAY)).toBe(1); // 1000 expired
    expect(b.used(1, 2000 + DAY)).toBe(0); // 1500 expired; refunded 2000s drop out silently
    expect(b.export()).toEqual([]);
  });

  it('refunds a charge made at the same time as an expired one only once', () => {
    const b = new NoveltyBudget(p);
    b.charge(7, 10);
    b.charge(7, 10 + DAY);
    b.refund(7, 10);
    expect(b.used(7, 10 + DAY)).toBe(1);
    b.refund(7, 10 + DAY);
    expect(b.used(7, 10 + DAY)).toBe(0);
  });

  it('keeps exact counts over a long log that expires while it grows', () => {
    const b = new NoveltyBudget(p);
    for (let i = 0; i < 200_000; i++) {
      b.charge(3, i * 1000);
      if (i % 2 === 0) b.refund(3, i * 1000);
    }
    // Charges in (now - 1 day, now] at odd seconds only.
    expect(b.used(3, 199_999 * 1000)).toBe(DAY / 1000 / 2);
  });

  it('restores exactly what it exports', () => {
    const b = new NoveltyBudget(p);
    for (const t of [5, 6, 6, 9]) b.charge(2, t);
    b.refund(2, 6);
    const c = new NoveltyBudget(p);
    for (const [voter, times] of b.export()) c.import(voter, times);
    expect(c.export()).toEqual(b.export());
    expect(c.used(2, 10)).toBe(3);
  });
});
