import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { open, Screenshots, signInThroughPage, STEP_MS } from '../browser/portal.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Issue 17, development mode in Debian's Chromium: without an SMTP server the portal shows a banner
 * linking the local outbox, where the sign-up's confirmation link is followed to a verified account.
 */
describe('customer portal without an SMTP server (local outbox)', () => {
  let t: TestApp & { url: string };
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  const shots = new Screenshots();

  beforeAll(async () => {
    buildAdminPage();
    t = await listenTestApp();
    await waitFor('the lookup index', 60_000, () => t.app.get(LookupIndexService).ready);
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 600_000);
  afterAll(async () => {
    shots.print('customer portal (outbox) screenshots');
    await chrome?.close();
    await t?.close();
  }, APP_BOOT_TIMEOUT_MS);

  it('shows the dev banner, lists the outbox and follows the emailed link from it', async () => {
    const page = await chrome.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    const email = `outbox-${Date.now()}@example.net`;
    await open(page, t.url, '#/signup');
    await page.waitForSelector('#dev-banner:not([hidden])');
    await page.fill('[data-form=signup] input[name=organization_name]', 'Outbox Networks');
    await page.fill('[data-form=signup] input[name=email]', email);
    await page.fill('[data-form=signup] input[name=password]', PASSWORD);
    await page.click('[data-form=signup] button[type=submit]');
    await page.waitForSelector('[data-signed-up]');
    expect(await shots.check(page, 'outbox-01-dev-banner')).toEqual([]);

    await page.click('#dev-banner a');
    const message = page.locator(`[data-mail="${email}"]`);
    await message.waitFor();
    expect(await message.textContent()).toContain('Confirm your email address');
    expect(await shots.check(page, 'outbox-02-messages')).toEqual([]);
    await message.locator('a[data-mail-link=verify-email]').click();
    expect(await page.getAttribute('[data-verified]', 'data-verified')).toBe(email);
    expect(await shots.check(page, 'outbox-03-verified')).toEqual([]);
    await signInThroughPage(page, t.url, email, PASSWORD);
    await page.waitForSelector('[data-figure=today]');
    expect(await page.isVisible('#dev-banner')).toBe(true);

    // from this machine only: not from another address, nor through a proxy on this machine (behind
    // which every client is loopback), nor once an SMTP server is configured (customer-accounts e2e)
    const local = await t.app.inject({ method: 'GET', url: '/v1/portal/dev/outbox', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect((local.json() as { messages: Array<{ recipient: string }> }).messages.map((m) => m.recipient)).toContain(email);
    const remote = await t.app.inject({ method: 'GET', url: '/v1/portal/dev/outbox', remoteAddress: '192.0.2.10' });
    expect([remote.statusCode, remote.json().code]).toEqual([404, 'outbox_disabled']);
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const proxied = await t.app.inject({ method: 'GET', url: '/v1/portal/dev/outbox', remoteAddress: '127.0.0.1', headers: { [header]: header === 'forwarded' ? 'for=192.0.2.10' : '192.0.2.10' } });
      expect([header, proxied.statusCode, proxied.json().code]).toEqual([header, 404, 'outbox_disabled']);
    }
    await page.close();
  }, 300_000);
});
