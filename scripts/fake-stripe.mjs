#!/usr/bin/env node
// Development only: the repository's fake Stripe (test/fakes/stripe, the one the billing tests use) as a
// process of its own, so the customer's paid path (Checkout, plan change, billing portal, invoices) can
// be walked in the portal on `npm start` without a Stripe account (docs/customers.md). Its hosted pages
// stand in for Stripe Checkout and the billing portal; every event is signed with the webhook secret and
// posted to Quorum's webhook, as Stripe does.
//   node scripts/fake-stripe.mjs [--quorum http://localhost:3000] [--port 12111]
// Prints the environment that points Quorum at it (start Quorum with it), then serves until stopped.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Stripe from 'stripe';
import ts from 'typescript';

const { fetch, AbortSignal } = globalThis;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const quorum = flag('--quorum', 'http://localhost:3000').replace(/\/$/, '');
const listenPort = Number(flag('--port', '12111'));

const SECRET_KEY = 'sk_test_quorumfake';
const WEBHOOK_SECRET = 'whsec_quorumfakedevelopment';
const PRICES = [
  { id: 'price_pro', unitAmount: 4_900 },
  { id: 'price_business', unitAmount: 19_900 },
  { id: 'price_overage', unitAmount: 1, metered: true },
];

// The fake is TypeScript (test code): its two files are transpiled into a temporary ES module directory.
const out = mkdtempSync(join(tmpdir(), 'quorum-fake-stripe-'));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
for (const name of ['fake-stripe.server', 'form']) {
  const source = readFileSync(join(root, 'test', 'fakes', 'stripe', `${name}.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(join(out, `${name}.js`), outputText);
}
const { FakeStripe } = await import(pathToFileURL(join(out, 'fake-stripe.server.js')).href);

const signer = new Stripe(SECRET_KEY);
const fake = new FakeStripe(SECRET_KEY, PRICES);
// Hosted mode: Checkout and billing portal URLs point at this process; events go to Quorum's webhook in order.
fake.hosted = {
  async deliver(events) {
    for (const event of events) {
      const payload = JSON.stringify(event);
      const signature = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      const res = await fetch(`${quorum}/v1/billing/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) throw new Error(`${quorum}/v1/billing/webhook answered ${res.status} to ${event.type}: ${await res.text()}`);
      process.stdout.write(`fake Stripe: delivered ${event.type} ${event.id}\n`);
    }
  },
};
const port = await fake.start(listenPort);
const env = {
  STRIPE_SECRET_KEY: SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_HOST: '127.0.0.1',
  STRIPE_API_PORT: String(port),
  STRIPE_API_PROTOCOL: 'http',
  STRIPE_PRICES: 'pro=price_pro,business=price_business,overage=price_overage',
};
process.stdout.write(`fake Stripe on http://127.0.0.1:${port}, delivering events to ${quorum}/v1/billing/webhook\n`);
process.stdout.write(`start Quorum with:\n${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} npm start\n`);

const stop = async () => {
  await fake.stop();
  rmSync(out, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
