import Stripe from 'stripe';
import type { BillingConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/** The SDK client, pointed at Stripe or (tests) at a loopback fake; null while no key is configured. */
export function createStripeClient(config: BillingConfig): Stripe | null {
  if (!config.stripeSecretKey) return null;
  return new Stripe(config.stripeSecretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(config.apiHost ? { host: config.apiHost, protocol: config.apiProtocol } : {}),
    ...(config.apiPort ? { port: config.apiPort } : {}),
  });
}

export function requireStripe(client: Stripe | null): Stripe {
  if (!client) throw DomainError.unavailable('Billing is not configured (STRIPE_SECRET_KEY is unset)');
  return client;
}
