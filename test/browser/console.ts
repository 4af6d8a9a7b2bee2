import type { BrowserContext, Page } from 'playwright-core';
import { STEP_MS, type Screenshots } from './portal.js';
import { PASSWORD } from './seed.js';

/**
 * Steps every operator-console browser test takes (test/e2e/admin-*-browser.e2e-spec.ts): sign in at
 * /admin, move between pages by the navigation, and after each test keep a screenshot of every page
 * of the service still open (the state a failure left) before closing it.
 */
export async function signInToConsole(context: BrowserContext, base: string, email: string, ready = '[data-figure=mrr]'): Promise<Page> {
  const page = await context.newPage();
  await context.clearCookies();
  await page.goto(`${base}/admin`, { timeout: STEP_MS });
  await page.waitForSelector('form.login', { timeout: STEP_MS });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector(ready, { timeout: STEP_MS });
  return page;
}

/** Follows a navigation link and waits until `ready` is in the page. */
export async function goTo(page: Page, nav: string, ready: string): Promise<void> {
  await page.click(`a[data-nav=${nav}]`);
  await page.waitForSelector(ready, { timeout: STEP_MS, state: 'attached' });
}

/** After a test: a screenshot of each page of the service still open, named after the test, then closed. */
export async function closePages(context: BrowserContext, base: string, shots: Screenshots): Promise<void> {
  const test = expect.getState().currentTestName?.slice(0, 40).replace(/\W+/g, '-') ?? 'test';
  for (const [i, page] of context.pages().entries()) {
    if (page.url().startsWith(base)) await shots.take(page, `failed-${test}-${i}`).catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}
