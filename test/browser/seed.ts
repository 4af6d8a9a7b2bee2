import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';

export const PASSWORD = 'a-long-enough-password';

export async function operator(app: NestFastifyApplication, role: 'admin' | 'billing' | 'support'): Promise<string> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.net`;
  await app.get(OperatorAuthService).createOperator(email, role, PASSWORD);
  return email;
}

/** A customer that subscribed through the fake Stripe checkout, with a key and lookups on two days. */
export async function seedCustomer(app: NestFastifyApplication, fake: FakeStripe, db: string, plan: string, usage: Array<{ daysAgo: number; lookups: number }>) {
  const name = `Browser Customer ${randomUUID().slice(0, 6)}`;
  const org = (await app.get(OrganizationsService).create(name)).id;
  const { record } = await app.get(ApiKeysService).create(org, 'production', ['lookup'], 'test');
  const adminEmail = await operator(app, 'admin');
  const login = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email: adminEmail, password: PASSWORD }, remoteAddress: '10.88.0.1' });
  const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const checkout = await app.inject({ method: 'POST', url: '/v1/billing/checkout', payload: { organization_id: org, plan_id: plan }, headers: { cookie, 'x-csrf-token': login.json().csrf_token as string } });
  if (checkout.statusCode !== 200) throw new Error(`checkout failed: ${checkout.body}`);
  await deliver(app, fake.completeCheckout(checkout.json().id as string).events);
  const now = new Date();
  for (const u of usage) {
    const hour = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - u.daysAgo, 0));
    await sql(db, 'INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups) VALUES ($1, $2, $3, $4)', [org, record.id, hour, u.lookups]);
  }
  return { org, name, keyPrefix: record.prefix };
}
