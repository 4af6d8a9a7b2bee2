import type Stripe from 'stripe';
import type { AppConfig } from '../../config/app-config.js';
import { FixedClock } from '../../infra/clock/clock.js';
import type { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import type { PlanRecord } from '../../lookup/plans/plan.types.js';
import { PublicPlansService } from './public-plans.service.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const MIN = 60_000;

function plan(id: string, priceCents: number | null): PlanRecord {
  return {
    id,
    name: id.toUpperCase(),
    burstPerSecond: 5,
    dailyQuota: 1_000,
    monthlyQuota: 20_000,
    bulkSize: 100,
    fields: ['reporters', 'scenarios'],
    views: ['ip', 'bulk'],
    priceCents,
    currency: 'eur',
    updatedAt: NOW,
  };
}

const PLANS = [plan('free', 0), plan('pro', 4_900), plan('business', 19_900), plan('enterprise', null)];

/** Stripe's price objects in memory; `down` makes every read fail as an unreachable API would. */
class FakeStripePrices {
  readonly reads: string[] = [];
  down = false;
  readonly prices = new Map<string, { unit_amount: number | null; currency: string; recurring: { interval: string } | null }>([
    ['price_pro', { unit_amount: 5_900, currency: 'usd', recurring: { interval: 'month' } }],
    ['price_business', { unit_amount: 199_000, currency: 'usd', recurring: { interval: 'year' } }],
    ['price_overage', { unit_amount: 1, currency: 'usd', recurring: { interval: 'month' } }],
  ]);
  readonly api = {
    prices: {
      retrieve: async (id: string) => {
        this.reads.push(id);
        if (this.down) throw new Error('connect ECONNREFUSED\nat socket');
        return this.prices.get(id)!;
      },
    },
  };
}

function setup(withStripe: boolean, prices: Record<string, string> = { pro: 'price_pro', business: 'price_business', overage: 'price_overage' }) {
  const plans = { list: async () => PLANS } as unknown as LookupPlansService;
  const stripe = new FakeStripePrices();
  const clock = new FixedClock(NOW);
  const config = { billing: { prices } } as unknown as AppConfig;
  const service = new PublicPlansService(plans, clock, withStripe ? (stripe.api as unknown as Stripe) : null, config);
  const priced = async () => Object.fromEntries((await service.list()).map((p) => [p.id, p.price && `${p.price.amountCents} ${p.price.currency}/${p.price.interval} ${p.price.source}`]));
  return { service, stripe, clock, priced };
}

describe('PublicPlansService.list', () => {
  it("without Stripe, shows the plan rows' list prices (none when on request) and nothing purchasable", async () => {
    const { service, priced } = setup(false);
    expect(await priced()).toEqual({ free: '0 eur/month plan', pro: '4900 eur/month plan', business: '19900 eur/month plan', enterprise: null });
    const plans = await service.list();
    expect(plans.map((p) => p.purchasable)).toEqual([false, false, false, false]);
    expect(plans[1]).toMatchObject({ id: 'pro', name: 'PRO', limits: { burstPerSecond: 5, dailyQuota: 1_000, monthlyQuota: 20_000, bulkSize: 100 }, fields: ['reporters', 'scenarios'], views: ['ip', 'bulk'] });
  });

  it("with Stripe, shows the Stripe prices of the configured plans (yearly ones as such), never the overage price, and marks them purchasable", async () => {
    const { service, stripe, priced } = setup(true);
    expect(await priced()).toEqual({ free: '0 eur/month plan', pro: '5900 usd/month stripe', business: '199000 usd/year stripe', enterprise: null });
    expect(stripe.reads).toEqual(['price_pro', 'price_business']);
    expect((await service.list()).map((p) => [p.id, p.purchasable])).toEqual([['free', false], ['pro', true], ['business', true], ['enterprise', false]]);
  });

  it('keeps the list price of a plan whose Stripe price has no unit amount (metered or tiered)', async () => {
    const { stripe, priced } = setup(true);
    stripe.prices.set('price_business', { unit_amount: null, currency: 'usd', recurring: { interval: 'month' } });
    expect((await priced()).business).toBe('19900 eur/month plan');
  });

  it('reads Stripe at most once per five minutes', async () => {
    const { stripe, clock, priced } = setup(true, { pro: 'price_pro' });
    await priced();
    clock.advance(5 * MIN - 1);
    stripe.prices.set('price_pro', { unit_amount: 6_900, currency: 'usd', recurring: { interval: 'month' } });
    expect((await priced()).pro).toBe('5900 usd/month stripe');
    expect(stripe.reads).toHaveLength(1);
    clock.advance(1);
    expect((await priced()).pro).toBe('6900 usd/month stripe');
    expect(stripe.reads).toHaveLength(2);
  });

  it('never fails because of Stripe: list prices before any answer, the last Stripe prices after one, and a new try on the next call', async () => {
    const { stripe, clock, priced } = setup(true, { pro: 'price_pro' });
    stripe.down = true;
    expect((await priced()).pro).toBe('4900 eur/month plan');
    stripe.down = false;
    expect((await priced()).pro).toBe('5900 usd/month stripe');
    clock.advance(5 * MIN);
    stripe.down = true;
    expect((await priced()).pro).toBe('5900 usd/month stripe');
    expect((await priced()).pro).toBe('5900 usd/month stripe');
    expect(stripe.reads).toHaveLength(4);
  });
});
