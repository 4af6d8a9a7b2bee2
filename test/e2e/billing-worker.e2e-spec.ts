import type { INestApplicationContext } from '@nestjs/common';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { startTestWorker } from '../support/test-worker.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { postWebhook, signPayload, startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

/** The real path: API stores and queues the signed events, a Quorum worker's BullMQ processor applies them. */
describe('billing events through the worker', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeStripe;

  beforeAll(async () => {
    const started = await startFakeStripe();
    fake = started.fake;
    api = await createTestApp(started.env);
    worker = await startTestWorker(api.config, createRootLogger(api.config.log.level));
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake?.stop();
  });

  it('a checkout completed at Stripe raises the plan once the worker has run the job', async () => {
    const app = api.app;
    const org = (await app.get(OrganizationsService).create('worker-billing-org')).id;
    const email = `worker-billing-${Date.now()}@example.net`;
    await app.get(OperatorAuthService).createOperator(email, 'admin', 'a-long-enough-password');
    const login = await app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: '10.55.0.1' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const checkout = await app.inject({ method: 'POST', url: '/v1/billing/checkout', payload: { organization_id: org, plan_id: 'business' }, headers: { cookie, 'x-csrf-token': login.json().csrf_token as string } });
    const { events } = fake.completeCheckout(checkout.json().id as string);
    for (const event of events) {
      const payload = JSON.stringify(event);
      expect((await postWebhook(app, payload, signPayload(payload))).statusCode).toBe(200);
    }
    await waitFor('the business plan applied by the worker', 15_000, async () => (await app.get(LookupPlansService).planIdOf(org)) === 'business');
    await waitFor('every Stripe event processed', 15_000, async () => {
      const rows = await sql<{ n: number }>(api.config.database.url, 'SELECT count(*)::int AS n FROM stripe_event WHERE id = ANY($1) AND processed_at IS NOT NULL', [events.map((e) => e.id)]);
      return rows[0].n === events.length;
    });
  }, 60_000);
});
