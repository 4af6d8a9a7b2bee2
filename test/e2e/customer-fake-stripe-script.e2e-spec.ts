import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BillingEventsService } from '../../src/billing/billing-events.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { createMember } from '../support/principals.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

/** A free loopback port (the script's fake Stripe and the app's STRIPE_API_PORT must agree before either starts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Issue 17, "pays (fake Stripe) on npm start": docs/customers.md tells a developer to run
 * scripts/fake-stripe.mjs next to Quorum. The script, as a process of its own, serves Checkout to a
 * member's checkout, and its payment reaches Quorum's webhook signed with the secret it printed.
 */
describe('scripts/fake-stripe.mjs', () => {
  let t: TestApp & { url: string };
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    const port = await freePort();
    t = await listenTestApp({
      STRIPE_SECRET_KEY: 'sk_test_quorumfake',
      STRIPE_WEBHOOK_SECRET: 'whsec_quorumfakedevelopment',
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
      STRIPE_PRICES: 'pro=price_pro,business=price_business,overage=price_overage',
    });
    child = spawn(process.execPath, ['scripts/fake-stripe.mjs', '--quorum', t.url, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the fake Stripe to print its environment', 120_000, () => output.includes('npm start'));
  }, APP_BOOT_TIMEOUT_MS + 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await t?.close();
  }, 60_000);

  it('prints the environment that points Quorum at it', () => {
    expect(output).toMatch(/STRIPE_SECRET_KEY=sk_test_quorumfake STRIPE_WEBHOOK_SECRET=whsec_quorumfakedevelopment STRIPE_API_HOST=127\.0\.0\.1 STRIPE_API_PORT=\d+ STRIPE_API_PROTOCOL=http STRIPE_PRICES=pro=price_pro,business=price_business,overage=price_overage npm start/);
  });

  it('serves the Checkout page of a member checkout and delivers the payment to the webhook, signed', async () => {
    const org = await t.app.get(OrganizationsService).create(`Script customer ${Date.now()}`, 'customer');
    const owner = await createMember(t.app, org.id, 'owner');
    const checkout = await t.app.inject({
      method: 'POST',
      url: '/v1/billing/checkout',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: { organization_id: org.id, plan_id: 'pro', success_url: 'http://localhost/app/#/billing/success', cancel_url: 'http://localhost/app/#/billing/cancelled' },
    });
    expect(checkout.statusCode).toBe(200);
    const url = (checkout.json() as { url: string }).url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hosted\/checkout\//);
    const page = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    expect(await page.text()).toContain('$49.00 per month');

    const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(60_000) });
    expect([paid.status, paid.headers.get('location')]).toEqual([303, 'http://localhost/app/#/billing/success']);
    // the webhook took every event (a bad signature would have failed the payment page); the worker's
    // job runs here as the billing worker would
    const delivered = [...output.matchAll(/fake Stripe: delivered (\S+) (evt_\w+)/g)].map((m) => ({ type: m[1], id: m[2] }));
    expect(delivered.map((e) => e.type)).toContain('checkout.session.completed');
    for (const event of delivered) await t.app.get(BillingEventsService).process(event.id);
    await waitFor('the pro plan', 30_000, async () => {
      const me = await t.app.inject({ method: 'GET', url: '/v1/portal/me', headers: owner.headers });
      return (me.json() as { organization: { plan_id: string } }).organization.plan_id === 'pro';
    });
  }, 180_000);
});
