import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { startFakeStripe } from '../fakes/stripe/harness.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { operator, PASSWORD, seedCustomer } from '../browser/seed.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';

const SHOTS = 'test-output/admin-dashboard';
const STEP_MS = 10_000;

/** The real page in Debian's Chromium: login, overview figures, customer chart, role refusal, logout. */
describe('admin dashboard in a browser', () => {
  let t: TestApp & { url: string };
  let fake: FakeStripe;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let customer: Awaited<ReturnType<typeof seedCustomer>>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildAdminPage();
    const started = await startFakeStripe();
    fake = started.fake;
    t = await listenTestApp(started.env);
    customer = await seedCustomer(t.app, fake, t.config.database.url, 'pro', [
      { daysAgo: 0, lookups: 120 },
      { daysAgo: 3, lookups: 40 },
    ]);
    chrome = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
    await fake?.stop();
  });

  async function logIn(page: Page, email: string): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${t.url}/admin`, { timeout: STEP_MS });
    await page.fill('input[name=email]', email, { timeout: STEP_MS });
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-figure=mrr]', { timeout: STEP_MS });
  }

  const figure = (page: Page, id: string) => page.textContent(`[data-figure=${id}] .value`, { timeout: STEP_MS });

  it('logs in and shows overview figures equal to the stored data', async () => {
    const page = await chrome.context.newPage();
    await logIn(page, await operator(t.app, 'billing'));
    const db = t.config.database.url;
    const [subs] = await sql<{ mrr: number; past_due: number }>(db, `SELECT COALESCE(SUM(amount_cents) FILTER (WHERE status IN ('active','trialing','past_due')), 0)::int AS mrr, COUNT(*) FILTER (WHERE status = 'past_due')::int AS past_due FROM subscription`);
    const [today] = await sql<{ n: number }>(db, `SELECT COALESCE(SUM(lookups), 0)::int AS n FROM usage_counter WHERE hour >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`);
    const [agents] = await sql<{ n: number }>(db, `SELECT COUNT(*)::int AS n FROM agent WHERE status = 'active'`);
    expect(subs.mrr).toBeGreaterThanOrEqual(4_900);
    expect(today.n).toBeGreaterThanOrEqual(120);
    const money = `$${(subs.mrr / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(await figure(page, 'mrr')).toBe(money);
    expect(await figure(page, 'past-due')).toBe(String(subs.past_due));
    expect(await figure(page, 'agents')).toBe(String(agents.n));
    expect((await figure(page, 'lookups-today'))?.startsWith(today.n >= 10_000 ? `${Math.round(today.n / 1000)}k` : today.n.toLocaleString('en-US'))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/overview-laptop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/overview-phone.png`, fullPage: true });
    await page.close();
  });

  it('finds the customer, opens it and shows its daily usage chart', async () => {
    const page = await chrome.context.newPage();
    await logIn(page, await operator(t.app, 'billing'));
    await page.click('a[data-nav=customers]');
    await page.fill('input[type=search]', customer.name, { timeout: STEP_MS });
    await page.press('input[type=search]', 'Enter');
    const row = page.locator(`tr[data-customer="${customer.org}"]`);
    await row.waitFor({ timeout: STEP_MS });
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain('pro');
    await page.screenshot({ path: `${SHOTS}/customers.png`, fullPage: true });
    await row.locator('a').click();
    await page.waitForSelector('svg.chart rect.bar', { state: 'attached', timeout: STEP_MS });
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    expect(await page.getAttribute(`rect.bar[data-day="${day(0)}"]`, 'data-value')).toBe('120');
    expect(await page.getAttribute(`rect.bar[data-day="${day(3)}"]`, 'data-value')).toBe('40');
    expect(await page.locator('rect.bar').count()).toBe(30);
    expect(await page.textContent('main')).toContain(`${customer.keyPrefix}…`);
    await page.screenshot({ path: `${SHOTS}/customer-detail.png`, fullPage: true });
    await page.close();
  });

  it('refuses a page the role may not open (403), then logs out', async () => {
    const page = await chrome.context.newPage();
    await logIn(page, await operator(t.app, 'support'));
    await page.click('a[data-nav=plans]');
    const error = page.locator('[data-state=error]');
    await error.waitFor({ timeout: STEP_MS });
    expect(await error.textContent()).toContain('403');
    await page.screenshot({ path: `${SHOTS}/plans-forbidden.png`, fullPage: true });
    await page.click('#logout');
    await page.waitForSelector('form.login', { timeout: STEP_MS });
    const status = await page.evaluate(async () => (await fetch('/v1/admin/me')).status);
    expect(status).toBe(401);
    await page.screenshot({ path: `${SHOTS}/logged-out.png` });
    await page.close();
  });
});
