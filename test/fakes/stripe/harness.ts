import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Stripe from 'stripe';
import { BillingEventsService } from '../../../src/billing/billing-events.service.js';
import { FakeStripe, type StripeEventJson } from './fake-stripe.server.js';

export const FAKE_SECRET_KEY = 'sk_test_quorumfake';
export const FAKE_WEBHOOK_SECRET = 'whsec_quorumtestsecret';

/** A started fake Stripe and the environment that points Quorum's billing at it. */
export async function startFakeStripe(): Promise<{ fake: FakeStripe; env: Record<string, string> }> {
  const fake = new FakeStripe(FAKE_SECRET_KEY, [
    { id: 'price_pro', unitAmount: 4_900 },
    { id: 'price_business', unitAmount: 19_900 },
    { id: 'price_business_yearly', unitAmount: 199_000, interval: 'year' },
    { id: 'price_overage', unitAmount: 1, metered: true },
  ]);
  const port = await fake.start();
  return {
    fake,
    env: {
      STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
      STRIPE_PRICES: 'pro=price_pro,business=price_business,overage=price_overage',
      QUORUM_BILLING_GRACE_HOURS: '1',
    },
  };
}

const signer = new Stripe(FAKE_SECRET_KEY);

/** Stripe-Signature for a payload, made with the SDK's own test helper. */
export function signPayload(payload: string, timestamp = Math.floor(Date.now() / 1000), secret = FAKE_WEBHOOK_SECRET): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export async function postWebhook(app: NestFastifyApplication, payload: string, signature?: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/billing/webhook',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'stripe-signature': signature }) },
    payload,
  });
}

/** Delivers events as Stripe would (signed), then runs their billing jobs in the given order. */
export async function deliver(app: NestFastifyApplication, events: StripeEventJson[], processOrder = events): Promise<void> {
  for (const event of events) {
    const payload = JSON.stringify(event);
    const res = await postWebhook(app, payload, signPayload(payload));
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  }
  for (const event of processOrder) await app.get(BillingEventsService).process(event.id);
}
