import { withComps } from './comp-entitlement.js';

const ORDER = ['free', 'pro', 'business'];
const rank = (id: string): number => ORDER.indexOf(id);
const at = (iso: string): Date => new Date(iso);
const NOW = at('2026-12-07T12:00:00Z');

describe('withComps', () => {
  const free = { planId: 'free', recheckAt: null, reason: 'no subscription' };

  it('grants a running comp over the free plan and looks again when it ends', () => {
    const e = withComps(free, [{ planId: 'pro', startsAt: at('2026-12-01T00:00:00Z'), endsAt: at('2027-01-01T00:00:00Z') }], NOW, rank);
    expect(e).toEqual({ planId: 'pro', recheckAt: at('2027-01-01T00:00:00Z'), reason: 'comp until 2027-01-01T00:00:00.000Z' });
  });

  it('keeps a higher paid plan, and still looks again when the comp ends', () => {
    const paid = { planId: 'business', recheckAt: at('2027-02-01T00:00:00Z'), reason: 'active' };
    const e = withComps(paid, [{ planId: 'pro', startsAt: at('2026-12-01T00:00:00Z'), endsAt: at('2027-01-01T00:00:00Z') }], NOW, rank);
    expect(e).toEqual({ planId: 'business', recheckAt: at('2027-01-01T00:00:00Z'), reason: 'active' });
  });

  it('ignores an ended comp and waits for one that has not started', () => {
    const e = withComps(free, [
      { planId: 'business', startsAt: at('2026-11-01T00:00:00Z'), endsAt: NOW },
      { planId: 'pro', startsAt: at('2026-12-10T00:00:00Z'), endsAt: at('2026-12-20T00:00:00Z') },
    ], NOW, rank);
    expect(e).toEqual({ planId: 'free', recheckAt: at('2026-12-10T00:00:00Z'), reason: 'no subscription' });
  });
});
