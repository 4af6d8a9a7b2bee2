import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { RevenueFigures } from '../../src/billing/revenue/revenue-figures.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { closePages, signInToConsole } from '../browser/console.js';
import { Screenshots } from '../browser/portal.js';
import { operator } from '../browser/seed.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';

const STEP_MS = 30_000;
const TEST_MS = 240_000;
const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Issue 18, the console's revenue page and a customer's account in Debian's Chromium: the MRR trend
 * from the daily snapshots (blank before the first), the monthly new/churned/past-due table, a failed
 * payment with Stripe's status leading to its customer, whose failed invoice and subscription history
 * show; the customer suspended (its API key answers 403 organization_suspended), resumed, and comped a
 * plan, each with a reason, all three in the audit log; organisations listed by kind. axe-core on
 * every page (no serious or critical violation); screenshots under test-output/admin-revenue.
 */
describe('operator console: revenue and customer actions in a browser', () => {
  let t: TestApp & { url: string };
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  const shots = new Screenshots('test-output/admin-revenue');
  const stamp = randomUUID().slice(0, 6);
  const seeded = { paying: '', payingName: `Paying ${stamp}`, failing: '', failingName: `Failing ${stamp}`, community: '', communityName: `Community ${stamp}`, invoice: `in_failed_${stamp}`, key: '' };

  beforeAll(async () => {
    buildAdminPage();
    t = await listenTestApp();
    const db = t.config.database.url;
    const orgs = t.app.get(OrganizationsService);
    seeded.paying = (await orgs.create(seeded.payingName)).id;
    seeded.failing = (await orgs.create(seeded.failingName)).id;
    seeded.community = (await orgs.create(seeded.communityName, 'community')).id;
    const created = await t.app.get(ApiKeysService).create(seeded.failing, 'production', ['usage'], 'test');
    seeded.key = created.key;
    // what Stripe's webhooks left: a paying customer with a paid invoice and lookups, and a renewal that failed
    await sql(db, `INSERT INTO subscription (id, organization_id, customer_id, status, plan_id, amount_cents, state_at, updated_at)
                   VALUES ($1, $2, $3, 'active', 'pro', 4900, 1, now())`, [`sub_paying_${stamp}`, seeded.paying, `cus_paying_${stamp}`]);
    await sql(db, `INSERT INTO invoice (id, organization_id, subscription_id, status, amount_cents, currency, created_at, updated_at)
                   VALUES ($1, $2, $3, 'paid', 4900, 'usd', now() - interval '3 days', now())`, [`in_paid_${stamp}`, seeded.paying, `sub_paying_${stamp}`]);
    const paidKey = await t.app.get(ApiKeysService).create(seeded.paying, 'production', ['lookup'], 'test');
    await sql(db, "INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups) VALUES ($1, $2, date_trunc('hour', now() - interval '1 day'), 7200)", [seeded.paying, paidKey.record.id]);
    await sql(db, `INSERT INTO subscription (id, organization_id, customer_id, status, plan_id, amount_cents, state_at, past_due_since, updated_at)
                   VALUES ($1, $2, $3, 'past_due', 'business', 19900, 2, now(), now())`, [`sub_failing_${stamp}`, seeded.failing, `cus_failing_${stamp}`]);
    for (const [status, daysAgo, order] of [['active', 40, 1], ['past_due', 1, 2]] as const) {
      await sql(db, `INSERT INTO subscription_change (subscription_id, organization_id, status, plan_id, amount_cents, state_at, at)
                     VALUES ($1, $2, $3, 'business', 19900, $4, now() - make_interval(days => $5))`, [`sub_failing_${stamp}`, seeded.failing, status, order, daysAgo]);
    }
    await sql(db, `INSERT INTO invoice (id, organization_id, subscription_id, status, amount_cents, currency, created_at, updated_at, attempt_count, next_payment_attempt, payment_failed_at)
                   VALUES ($1, $2, $3, 'open', 19900, 'usd', now() - interval '1 day', now(), 2, now() + interval '3 days', now() - interval '2 hours')`, [seeded.invoice, seeded.failing, `sub_failing_${stamp}`]);
    // the hourly job's snapshots since 60 days ago (nothing before: the trend starts there)
    for (let d = 60; d >= 1; d--) {
      await sql(db, 'INSERT INTO billing_daily (day, mrr_cents, live_subscriptions, past_due, taken_at) VALUES ($1::date, $2, $3, $4, now()) ON CONFLICT (day) DO NOTHING', [dayOf(Date.now() - d * DAY_MS), 4900 + (60 - d) * 300, 1 + Math.floor((60 - d) / 20), d < 3 ? 1 : 0]);
    }
    await t.app.get(RevenueFigures).snapshot();
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 300_000);
  afterEach(() => closePages(chrome.context, t.url, shots));
  afterAll(async () => {
    shots.print('revenue and customer screenshots');
    await chrome?.close();
    await t?.close();
  });

  const logIn = (email: string): Promise<Page> => signInToConsole(chrome.context, t.url, email);

  const keyAnswer = async (): Promise<{ status: number; code?: string }> => {
    const res = await fetch(`${t.url}/v1/organizations/${seeded.failing}/usage`, { headers: { 'x-api-key': seeded.key }, signal: AbortSignal.timeout(STEP_MS) });
    return { status: res.status, code: ((await res.json()) as { code?: string }).code };
  };

  it('shows the revenue page: MRR per day from the first snapshot, months, failed payments with their Stripe status, top customers', async () => {
    const page = await logIn(await operator(t.app, 'billing'));
    await page.click('a[data-nav=revenue]');
    await page.waitForSelector('[data-figure=revenue-mrr]', { timeout: STEP_MS });
    const [live] = await sql<{ mrr: string }>(t.config.database.url, "SELECT SUM(amount_cents) FILTER (WHERE status IN ('active','trialing','past_due')) AS mrr FROM subscription");
    expect(await page.textContent('[data-figure=revenue-mrr] .value')).toBe((Number(live.mrr) / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' }));
    // 60 snapshot days and today, nothing estimated before the first
    const mrrBars = page.getByRole('img', { name: 'MRR per day, in dollars' }).locator('rect.bar');
    expect(await mrrBars.count()).toBe(61);
    expect(await mrrBars.first().getAttribute('data-day')).toBe(dayOf(Date.now() - 60 * DAY_MS));
    expect(await page.getAttribute('[data-snapshots-since]', 'data-snapshots-since')).toBe(dayOf(Date.now() - 60 * DAY_MS));
    expect(await page.locator(`tr[data-month="${dayOf(Date.now()).slice(0, 7)}"]`).count()).toBe(1);
    const failed = page.locator(`tr[data-invoice="${seeded.invoice}"]`);
    expect(await failed.locator('[data-stripe-status]').getAttribute('data-stripe-status')).toBe('open');
    expect(await failed.textContent()).toContain(seeded.failingName);
    expect(await failed.textContent()).toContain('$199.00');
    expect(await page.locator(`section[aria-labelledby=top-revenue] tr[data-top="${seeded.paying}"]`).textContent()).toContain('$49.00');
    expect(await page.locator(`section[aria-labelledby=top-usage] tr[data-top="${seeded.paying}"]`).textContent()).toContain('7,200');
    expect(await shots.check(page, 'revenue')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await shots.take(page, 'revenue-phone');
    await page.close();
  }, TEST_MS);

  it("handles a failed payment's customer: failed invoice and history shown, suspended, resumed, comped, all audited; its key revoked", async () => {
    const db = t.config.database.url;
    const adminEmail = await operator(t.app, 'admin');
    const [{ id: operatorId }] = await sql<{ id: string }>(db, 'SELECT id FROM operator_user WHERE email = $1', [adminEmail]);
    const page = await logIn(adminEmail);
    await page.click('a[data-nav=revenue]');
    await page.locator(`tr[data-invoice="${seeded.invoice}"] a`).click();
    await page.waitForSelector('[data-kind=customer]', { timeout: STEP_MS });
    expect(await page.getAttribute(`tr[data-invoice="${seeded.invoice}"] [data-invoice-state]`, 'data-invoice-state')).toBe('failed');
    expect(await page.textContent(`tr[data-invoice="${seeded.invoice}"]`)).toContain('attempt 2 failed');
    const history = await page.getByRole('region', { name: 'Subscription history' }).locator('tbody tr .badge').allTextContents();
    expect(history).toEqual(['past due', 'active']);
    expect(await shots.check(page, 'customer-account')).toEqual([]);

    // suspend: a reason is required (the browser refuses an empty one), then its key answers 403
    const suspend = page.locator('form[data-action=suspend]');
    await suspend.locator('button[type=submit]').click();
    expect(await suspend.locator('input:invalid').count()).toBe(1);
    await suspend.getByLabel('Reason for suspending').fill('Third failed payment, card reported stolen');
    await suspend.locator('button[type=submit]').click();
    await page.waitForSelector('form[data-action=resume]', { timeout: STEP_MS });
    expect(await page.textContent('[data-suspended]')).toContain('Third failed payment, card reported stolen');
    expect(await keyAnswer()).toEqual({ status: 403, code: 'organization_suspended' });
    expect(await shots.check(page, 'customer-suspended')).toEqual([]);
    await page.getByLabel('Reason for resuming').fill('Customer paid by bank transfer');
    await page.locator('form[data-action=resume] button[type=submit]').click();
    await page.waitForSelector('[data-suspended=no]', { timeout: STEP_MS });
    expect((await keyAnswer()).status).toBe(200);

    // comp a plan for a month, with a reason
    const comp = page.locator('form[data-action=comp]');
    await comp.getByLabel('Plan').selectOption('business');
    await comp.getByLabel('Until (UTC date)').fill(dayOf(Date.now() + 31 * DAY_MS));
    await comp.getByLabel('Reason (audited)').fill('Goodwill while the bank dispute is settled');
    await comp.locator('button[type=submit]').click();
    await page.waitForSelector('tr[data-comp]', { timeout: STEP_MS });
    const compRow = (await page.textContent('tr[data-comp]')) ?? '';
    expect(compRow).toContain('Goodwill while the bank dispute is settled');
    expect(compRow).toContain('running');
    expect(compRow).toContain(`operator:${operatorId}`);
    expect(await page.textContent('[data-plan]')).toBe('business');

    // revoke its key, in two clicks: the key is refused from then on
    const revoke = page.locator('button[data-revoke-key]');
    await revoke.click();
    await page.waitForSelector('button[data-revoke-key]:has-text("Confirm")', { timeout: STEP_MS });
    await revoke.click();
    await page.waitForSelector('button[data-revoke-key]', { timeout: STEP_MS, state: 'detached' });
    expect(await keyAnswer()).toEqual({ status: 401, code: 'invalid_api_key' });

    // the three actions in the audit log, with their reasons
    await page.click('a[data-nav=audit]');
    await page.waitForSelector('[data-chain]', { timeout: STEP_MS });
    await page.getByLabel('Target').fill(`organization:${seeded.failing}`);
    await page.getByLabel('Actor').fill(`operator:${operatorId}`);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('tr[data-entry][data-action="plan.comped"]', { timeout: STEP_MS });
    const actions = await page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['organization.suspended', 'organization.resumed', 'plan.comped']));
    const text = (await page.textContent('tbody')) ?? '';
    for (const reason of ['card reported stolen', 'bank transfer', 'Goodwill']) expect(text).toContain(reason);
    await page.close();
  }, TEST_MS);

  it('lists organisations by kind, and shows a billing operator the comp form but not the suspension', async () => {
    const page = await logIn(await operator(t.app, 'billing'));
    await page.click('a[data-nav=customers]');
    await page.waitForSelector('input[type=search]', { timeout: STEP_MS });
    await page.fill('input[type=search]', stamp);
    await page.press('input[type=search]', 'Enter');
    await page.waitForSelector(`tr[data-customer="${seeded.paying}"]`, { timeout: STEP_MS });
    expect(await page.locator(`tr[data-customer="${seeded.community}"]`).count()).toBe(0);
    await page.getByLabel('Kind').selectOption('community');
    await page.waitForSelector(`tr[data-customer="${seeded.community}"]`, { timeout: STEP_MS });
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await shots.check(page, 'customers-community')).toEqual([]);
    await page.locator(`tr[data-customer="${seeded.community}"] a`).click();
    await page.waitForSelector('[data-kind=community]', { timeout: STEP_MS });
    expect(await page.locator('form[data-action=comp]').count()).toBe(1);
    expect(await page.locator('form[data-action=suspend]').count()).toBe(0);
    await page.close();
  }, TEST_MS);
  it("erases an organisation on its request from the customer detail (moved out of app.ts), confirmed by typing its name", async () => {
    const page = await logIn(await operator(t.app, 'admin'));
    await page.click('a[data-nav=customers]');
    await page.waitForSelector('input[type=search]', { timeout: STEP_MS });
    await page.getByLabel('Kind').selectOption('community');
    await page.locator(`tr[data-customer="${seeded.community}"] a`).click();
    const erase = page.locator(`form[data-erase="${seeded.community}"]`);
    await erase.waitFor({ timeout: STEP_MS });
    await erase.getByRole('textbox').fill('not its name');
    await erase.locator('button[type=submit]').click();
    await page.waitForSelector('[data-state=error]', { timeout: STEP_MS });
    await erase.getByRole('textbox').fill(seeded.communityName);
    await erase.locator('button[type=submit]').click();
    await page.waitForSelector('[data-state=ok]', { timeout: STEP_MS });
    expect(await page.textContent('[data-state=ok]')).toContain('completed');
    const orgs = await sql<{ erased: boolean }>(t.config.database.url, 'SELECT erased_at IS NOT NULL AS erased FROM organization WHERE id = $1', [seeded.community]);
    expect(orgs.every((o) => o.erased)).toBe(true);
    await page.close();
  }, TEST_MS);
});
