import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { AgentsService } from '../../src/agents/agents.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { closePages, goTo } from '../browser/console.js';
import { Screenshots } from '../browser/portal.js';
import { operator, PASSWORD, seedCustomer } from '../browser/seed.js';
import { type HolderProofServer, startHolderProofServer } from '../browser/holder-proof-server.js';
import { attackerIp } from '../factories/signal.factory.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const STEP_MS = 30_000;
const TEST_MS = 420_000;

/**
 * Issue 18, "done when": an operator handles a day of work without leaving the browser (Debian's
 * Chromium), while IP holders use their own pages in other tabs. A renewal fails at Stripe (delivered
 * through the billing webhook) and the operator sees it on the Revenue page and the customer's detail;
 * a quarantined community agent is released with a reason; two delisting requests filed on /ip/{ip} as
 * reasoned reviews — one from a holder behind carrier NAT, upheld with a justification the holder then
 * sees, one rejected; an IP erasure request reaches the queue with its one-month deadline and is closed
 * once its holder serves the proof file (from a server this test starts on loopback); the Community
 * page charts the day's signals by scenario family; the audit log, filtered in the database, shows the
 * operator's actions with a verified chain. axe-core on every page (no serious or critical violation);
 * screenshots under test-output/admin-day-of-work.
 */
describe('operator console in a browser: a day of work', () => {
  let t: TestApp & { url: string };
  let fake: FakeStripe;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let proofServer: HolderProofServer | undefined;
  const shots = new Screenshots('test-output/admin-day-of-work');
  const stamp = randomUUID().slice(0, 6);
  const seeded = { agent: '', agentName: `edge-${stamp}`, orgName: `Community ${stamp}`, failing: '', failingName: '', invoice: '' };
  const natIp = attackerIp();
  const otherIp = attackerIp();
  const erasureIp = attackerIp();

  async function list(ip: string): Promise<void> {
    const now = Date.now();
    await sql(
      t.config.database.url,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
       VALUES ($1, 4.2, 9, 6, 5, ARRAY['crowdsecurity/ssh-bf'], $2, $3, true, $3, $4, 'consensus', false, 1, $3)
       ON CONFLICT (ip_key) DO UPDATE SET listed = true`,
      [ip, new Date(now - 6 * 3_600_000), new Date(now - 600_000), new Date(now + 30 * 3_600_000)],
    );
  }

  beforeAll(async () => {
    buildAdminPage();
    const started = await startFakeStripe();
    fake = started.fake;
    t = await listenTestApp(started.env);
    const db = t.config.database.url;
    proofServer = await startHolderProofServer();

    // a community organisation whose agent the scoring engine quarantined (a dark canary hit)
    const org = (await t.app.get(OrganizationsService).create(seeded.orgName, 'community')).id;
    seeded.agent = (await t.app.get(AgentsService).createWatcherForOrganization(org, `machine-${stamp}`, 'watcher-password-123', 'test')).id;
    await sql(db, 'UPDATE agent SET name = $2, last_signal_at = now() WHERE id = $1', [seeded.agent, seeded.agentName]);
    const identity = await t.app.get(ReporterIdentityService).identify(org, seeded.agent);
    await sql(
      db,
      `INSERT INTO reporter (pseudonym, owner, kind, enrolled_at, alpha, beta, quarantined_at, quarantine_reason, updated_at)
       VALUES ($1, $2, 'community', now() - interval '40 days', 3, 54, now() - interval '2 hours', 'canary', now())`,
      [identity.reporter, identity.owner],
    );
    // the day's signals, by scenario family (today's partition)
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, scope, scenario, started_at, stopped_at, weight)
       SELECT now() - interval '1 second', $1, $2, 'quorum', '203.0.113.' || (g % 200), 'ip', s, now(), now(), 1
       FROM generate_series(1, 12) AS g, unnest(ARRAY['crowdsecurity/ssh-bf', 'crowdsecurity/http-probing', 'crowdsecurity/ssh-bf']) AS s`,
      [identity.reporter, identity.owner],
    );
    // a customer subscribed through Stripe's checkout, whose renewal then fails (the webhook path)
    const customer = await seedCustomer(t.app, fake, db, 'business', [{ daysAgo: 0, lookups: 40 }]);
    seeded.failing = customer.org;
    const [{ name }] = await sql<{ name: string }>(db, 'SELECT name FROM organization WHERE id = $1', [seeded.failing]);
    seeded.failingName = name;
    const [sub] = await sql<{ id: string; customer_id: string }>(db, 'SELECT id, customer_id FROM subscription WHERE organization_id = $1', [seeded.failing]);
    const pastDue = fake.updateSubscription(sub.id, { status: 'past_due' });
    const failed = fake.invoiceEvent({ id: sub.id, customer: sub.customer_id, items: { data: [{ price: { unit_amount: 19_900 }, quantity: 1 }] } }, 'invoice.payment_failed');
    const invoice = failed.data.object as Record<string, unknown>;
    Object.assign(invoice, { attempt_count: 1, next_payment_attempt: fake.now() + 3 * 86_400 });
    await deliver(t.app, [pastDue, failed]);
    seeded.invoice = invoice.id as string;
    await list(natIp);
    await list(otherIp);
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 300_000);
  afterEach(() => closePages(chrome.context, t.url, shots));
  afterAll(async () => {
    shots.print('day of work screenshots');
    await chrome?.close();
    await t?.close();
    await fake?.stop();
    await proofServer?.stop();
  });

  const go = goTo;

  /** An IP holder's reasoned review request on /ip/{ip}, in a tab of their own. */
  async function reasonedRequest(ip: string, reason: string, contact: string): Promise<Page> {
    const holder = await chrome.context.newPage();
    await holder.goto(`${t.url}/ip/${ip}`, { timeout: STEP_MS });
    await holder.waitForSelector('[data-verdict=listed]', { timeout: STEP_MS });
    await holder.click('form[data-form=delisting] button[type=submit]');
    await holder.waitForSelector('form[data-form=review-request]', { timeout: STEP_MS });
    await holder.fill('form[data-form=review-request] textarea[name=reason]', reason);
    await holder.fill('form[data-form=review-request] input[name=contact]', contact);
    await holder.click('form[data-form=review-request] button[type=submit]');
    await holder.waitForSelector('[data-delisting-status=awaiting_review]', { timeout: STEP_MS });
    return holder;
  }

  it('handles a failed payment, a quarantined agent, two delisting requests and an erasure request from the browser', async () => {
    const db = t.config.database.url;
    // the holders start their requests on their own pages
    const natHolder = await reasonedRequest(natIp, 'Mobile network behind carrier NAT: thousands of subscribers share this address', 'noc@carrier.example');
    expect(await shots.check(natHolder, 'holder-nat-requested')).toEqual([]);
    const otherHolder = await reasonedRequest(otherIp, 'Our office router; we think an infected laptop is cleaned now', 'it@office.example');
    await otherHolder.close();
    const eraser = await chrome.context.newPage();
    await eraser.goto(`${t.url}/ip/${erasureIp}`, { timeout: STEP_MS });
    await eraser.waitForSelector('form[data-form=privacy]', { timeout: STEP_MS });
    await eraser.selectOption('select[name=kind]', 'erasure');
    await eraser.click('form[data-form=privacy] button[type=submit]');
    await eraser.waitForSelector('button[data-action=verify-privacy]', { timeout: STEP_MS });
    const [proofUrl, proofToken] = await eraser.$$eval('pre.copy', (nodes) => nodes.map((n) => n.textContent ?? ''));
    const [erasure] = await sql<{ id: string; created_at: Date }>(db, "SELECT id, created_at FROM privacy_request WHERE kind = 'ip_erasure' ORDER BY created_at DESC LIMIT 1");

    // the operator signs in
    const adminEmail = await operator(t.app, 'admin');
    const [{ id: operatorId }] = await sql<{ id: string }>(db, 'SELECT id FROM operator_user WHERE email = $1', [adminEmail]);
    const page = await chrome.context.newPage();
    await page.goto(`${t.url}/admin`, { timeout: STEP_MS });
    await page.waitForSelector('form.login', { timeout: STEP_MS });
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-figure=mrr]', { timeout: STEP_MS });

    // 1. the failed payment: on the Revenue page with Stripe's status, then the customer's failed invoice
    await go(page, 'revenue', `tr[data-invoice="${seeded.invoice}"]`);
    const failedRow = page.locator(`tr[data-invoice="${seeded.invoice}"]`);
    expect(await failedRow.locator('[data-stripe-status]').getAttribute('data-stripe-status')).toBe('open');
    expect(await failedRow.textContent()).toContain(seeded.failingName);
    expect(await failedRow.textContent()).toContain('$199.00');
    expect(await shots.check(page, 'revenue')).toEqual([]);
    await failedRow.locator('a').click();
    await page.waitForSelector(`tr[data-invoice="${seeded.invoice}"] [data-invoice-state]`, { timeout: STEP_MS });
    expect(await page.getAttribute(`tr[data-invoice="${seeded.invoice}"] [data-invoice-state]`, 'data-invoice-state')).toBe('failed');
    expect(await shots.check(page, 'customer-failed-payment')).toEqual([]);

    // 2. the quarantined agent, released with a reason; the day's signals charted by family
    await go(page, 'community', 'form[role=search]');
    await page.getByLabel('Status').selectOption('quarantined');
    await page.getByLabel('Agent or organisation').fill(seeded.orgName);
    await page.click('form[role=search] button[type=submit]');
    const agentRow = page.locator(`tr[data-agent="${seeded.agent}"]`);
    await agentRow.waitFor({ timeout: STEP_MS });
    expect(await agentRow.getAttribute('data-band')).toBe('quarantined');
    expect(await agentRow.textContent()).toContain('canary');
    const ssh = page.getByRole('img', { name: /^Signals per day, ssh scenarios/ });
    expect(await ssh.locator('rect.bar').count()).toBe(30);
    expect(Number(await ssh.locator('rect.bar').last().getAttribute('data-value'))).toBeGreaterThanOrEqual(24);
    expect(Number(await page.getByRole('img', { name: /^Signals per day, http scenarios/ }).locator('rect.bar').last().getAttribute('data-value'))).toBeGreaterThanOrEqual(12);
    await page.click('details.volume-table summary');
    expect(await page.getByRole('region', { name: 'Signals per day and scenario family' }).locator('tbody tr').count()).toBe(30);
    expect(await shots.check(page, 'community')).toEqual([]);
    await agentRow.getByLabel(/Reason for the release/).fill('Canary range announced by mistake by our own team');
    await agentRow.locator('button', { hasText: 'Release from quarantine' }).click();
    await page.waitForSelector(`tr[data-agent="${seeded.agent}"] [data-release="pending"]`, { timeout: STEP_MS });

    // 3. the queue: both reasoned requests with the holders' reasons and contacts, the erasure with its GDPR deadline
    await go(page, 'requests', 'main table');
    const [natRequest] = await sql<{ id: string }>(db, 'SELECT id FROM delisting_request WHERE ip = $1', [natIp]);
    const [otherRequest] = await sql<{ id: string }>(db, 'SELECT id FROM delisting_request WHERE ip = $1', [otherIp]);
    const natRow = page.locator(`tr[data-item="${natRequest.id}"]`);
    await natRow.waitFor({ timeout: STEP_MS });
    expect(await natRow.textContent()).toContain('carrier NAT');
    expect(await natRow.textContent()).toContain('noc@carrier.example');
    const erasureRow = page.locator(`tr[data-item="${erasure.id}"]`);
    expect(await erasureRow.textContent()).toContain('Erasure (Art. 17)');
    const due = new Date(erasure.created_at);
    due.setUTCMonth(due.getUTCMonth() + 1);
    expect(await erasureRow.textContent()).toContain(due.toISOString().slice(0, 10));
    expect(await shots.check(page, 'requests')).toEqual([]);
    await natRow.getByLabel('Uphold: delist').check();
    await natRow.getByLabel('Justification (written to the audit log)').fill('Carrier-grade NAT range of a mobile operator: the listing hits every subscriber.');
    await natRow.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-item="${natRequest.id}"][data-status=upheld]`, { timeout: STEP_MS });
    const otherRow = page.locator(`tr[data-item="${otherRequest.id}"]`);
    await otherRow.getByLabel('Reject: keep listed').check();
    await otherRow.getByLabel('Justification (written to the audit log)').fill('Still attacking our honeypots this morning: the cleaning did not work.');
    await otherRow.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-item="${otherRequest.id}"][data-status=rejected]`, { timeout: STEP_MS });
    await shots.take(page, 'requests-decided');

    // the holder behind carrier NAT sees the decision on their page
    await natHolder.click('button[data-action=refresh]');
    await natHolder.waitForSelector('[data-delisting-status=upheld]', { timeout: STEP_MS });
    await natHolder.close();
    // the erasure's holder serves the file; the request is carried out, and the queue shows it closed
    proofServer!.serve(new URL(proofUrl).pathname, proofToken);
    await eraser.click('button[data-action=verify-privacy]');
    await eraser.waitForSelector('[data-privacy-status=completed]', { timeout: STEP_MS });
    await eraser.close();
    await go(page, 'overview', '[data-figure=mrr]');
    await go(page, 'requests', `tr[data-item="${erasure.id}"][data-status=completed]`);

    // 4. the audit log, filtered in the database: this operator's sign-in and three actions, the chain verified
    await go(page, 'audit', '[data-chain]');
    expect(await page.getAttribute('[data-chain]', 'data-chain')).toBe('ok');
    await page.getByLabel('Actor').fill(`operator:${operatorId}`);
    await page.click('form[role=search] button[type=submit]');
    await waitFor("the operator's sign-in and three actions", STEP_MS, async () => (await page.locator('tr[data-entry]').count()) === 4);
    expect((await page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).sort()).toEqual([
      'agent.quarantine_release_requested',
      'delisting.rejected',
      'delisting.upheld',
      'operator.login',
    ]);
    expect(await page.textContent('tbody')).toContain('Carrier-grade NAT');
    expect(await shots.check(page, 'audit')).toEqual([]);
    await page.close();
  }, TEST_MS);
});
