import { planProblems, toPolicy } from './plan.types.js';

const base = { id: 'pro', name: 'Pro', burstPerSecond: 20, dailyQuota: 100, monthlyQuota: 1_000, bulkSize: 100, fields: [], views: ['ip', 'bulk'], priceCents: 4_900, currency: 'usd' } as const;

describe('plans', () => {
  it('validates quotas and bulk sizes together', () => {
    expect(planProblems({ ...base, fields: [], views: ['ip', 'bulk'] })).toEqual([]);
    expect(planProblems({ ...base, fields: [], views: ['ip'], dailyQuota: 2_000 })).toEqual(['dailyQuota cannot exceed monthlyQuota']);
    expect(planProblems({ ...base, fields: [], views: ['ip', 'bulk'], bulkSize: 0 })).toHaveLength(1);
    expect(planProblems({ ...base, fields: [], views: ['ip'], bulkSize: 1_001 })).toHaveLength(1);
  });

  it('turns a plan into meter limits and lookup sets', () => {
    const policy = toPolicy({ ...base, fields: ['scenarios'], views: ['ip'], updatedAt: new Date(0) });
    expect(policy.limits).toEqual({ second: 20, day: 100, month: 1_000 });
    expect(policy.fields.has('scenarios')).toBe(true);
    expect(policy.views.has('bulk')).toBe(false);
  });
});
