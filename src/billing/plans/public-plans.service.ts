import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Clock } from '../../infra/clock/clock.js';
import { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import { STRIPE_CLIENT } from '../stripe.client.js';

export interface PublicPrice {
  amountCents: number;
  currency: string;
  interval: 'month' | 'year';
  /** `stripe`: the price object Checkout charges; `plan`: the list price of the plan row. */
  source: 'stripe' | 'plan';
}

export interface PublicPlan {
  id: string;
  name: string;
  /** null: price on request (no Stripe price, no list price). */
  price: PublicPrice | null;
  /** True when a checkout can be started for the plan (it has a Stripe price). */
  purchasable: boolean;
  limits: { burstPerSecond: number; dailyQuota: number; monthlyQuota: number; bulkSize: number };
  fields: string[];
  views: string[];
}

/** Stripe prices are read at most this often (the plan list is public and must not reach Stripe per request). */
const STRIPE_PRICE_TTL_MS = 5 * 60_000;

/**
 * The public plan list (GET /v1/plans): limits from the plan rows, prices from the Stripe price objects
 * of STRIPE_PRICES when billing is configured, from the plan rows' list prices otherwise (or when
 * Stripe cannot be reached: the answer never fails because of Stripe).
 */
@Injectable()
export class PublicPlansService {
  private readonly logger = new Logger('PublicPlans');
  private stripePrices: { at: number; byPlan: Map<string, PublicPrice> } | null = null;

  constructor(
    private readonly plans: LookupPlansService,
    private readonly clock: Clock,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<PublicPlan[]> {
    // one read of the plan rows: limits and list prices come from the same record
    const [plans, stripePrices] = await Promise.all([this.plans.list(), this.fromStripe()]);
    return plans.map((plan) => {
      const rowPrice: PublicPrice | null = plan.priceCents !== null ? { amountCents: plan.priceCents, currency: plan.currency, interval: 'month', source: 'plan' } : null;
      return {
        id: plan.id,
        name: plan.name,
        price: stripePrices.get(plan.id) ?? rowPrice,
        purchasable: Boolean(this.stripe && this.config.billing.prices[plan.id]),
        limits: { burstPerSecond: plan.burstPerSecond, dailyQuota: plan.dailyQuota, monthlyQuota: plan.monthlyQuota, bulkSize: plan.bulkSize },
        fields: plan.fields,
        views: plan.views,
      };
    });
  }

  private async fromStripe(): Promise<Map<string, PublicPrice>> {
    if (!this.stripe) return new Map();
    const now = this.clock.nowMs();
    if (this.stripePrices && now - this.stripePrices.at < STRIPE_PRICE_TTL_MS) return this.stripePrices.byPlan;
    const byPlan = new Map<string, PublicPrice>();
    try {
      for (const [planId, priceId] of Object.entries(this.config.billing.prices)) {
        if (planId === 'overage') continue;
        const price = await this.stripe.prices.retrieve(priceId);
        if (price.unit_amount === null) continue;
        byPlan.set(planId, { amountCents: price.unit_amount, currency: price.currency, interval: price.recurring?.interval === 'year' ? 'year' : 'month', source: 'stripe' });
      }
    } catch (error) {
      this.logger.warn(`Stripe prices unavailable, list prices shown (${(error as Error).message.split('\n')[0]})`);
      return this.stripePrices?.byPlan ?? new Map();
    }
    this.stripePrices = { at: now, byPlan };
    return byPlan;
  }
}
