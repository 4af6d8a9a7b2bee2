import { overageOf, sortCustomers, usageShare } from './customer-sort.js';

const row = (name: string, usage: number, quota: number, planId = 'pro', status: string | null = 'active', at: Date | null = null) => ({ name, usage, quota, planId, status, lastInvoiceAt: at });

describe('customer sorting', () => {
  const rows = [row('b', 50, 100, 'business', 'past_due', new Date(2)), row('a', 150, 100, 'pro', 'active', new Date(3)), row('c', 0, 0, 'free', null)];
  it('sorts by usage share, overage, plan, status, invoice date and name', () => {
    expect(sortCustomers(rows, 'usage', true).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(sortCustomers(rows, 'overage', true).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(sortCustomers(rows, 'plan', false).map((r) => r.name)).toEqual(['b', 'c', 'a']);
    expect(sortCustomers(rows, 'status', false).map((r) => r.name)).toEqual(['c', 'a', 'b']);
    expect(sortCustomers(rows, 'last_invoice', true).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(sortCustomers(rows, 'name', false).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
  it('computes overage and usage share', () => {
    expect(overageOf({ usage: 150, quota: 100 })).toBe(50);
    expect(overageOf({ usage: 10, quota: 100 })).toBe(0);
    expect(usageShare({ usage: 5, quota: 0 })).toBe(1);
    expect(usageShare({ usage: 25, quota: 100 })).toBe(0.25);
  });
});
