import type { Page } from 'playwright-core';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import { totpCode } from '../../src/members/totp.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { hashOf, open, portalLink, Screenshots, signInThroughPage, STEP_MS } from '../browser/portal.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { deliver, startFakeStripe } from '../fakes/stripe/harness.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { createMember, OPERATOR_PASSWORD } from '../support/principals.js';
import { SmtpInbox } from '../support/smtp-inbox.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const PASSWORD = 'correct horse battery staple';
const TEST_MS = 300_000;

/**
 * Issue 17, in Debian's Chromium: the customer portal at /app, every page. A customer signs up, confirms
 * the address from the message received by a real SMTP server, creates a key and looks up with it,
 * upgrades through the fake Stripe's hosted Checkout, sees the new limits and the invoice, changes plan
 * on the same subscription, opens the billing portal; invites a developer who manages keys but not
 * billing; two-factor sign-in, password reset, a community organisation's agents page. Screenshots of
 * every page are kept under test-output/customer-portal (paths printed at the end).
 */
describe('customer portal in a browser', () => {
  let t: TestApp & { url: string };
  let fake: FakeStripe;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let devChrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const inbox = new SmtpInbox();
  const shots = new Screenshots();
  const stamp = Date.now();
  const owner = { email: `owner-${stamp}@example.net`, org: '' };

  beforeAll(async () => {
    buildAdminPage();
    const started = await startFakeStripe();
    fake = started.fake;
    const smtp = await inbox.start();
    t = await listenTestApp({ ...started.env, QUORUM_SMTP_URL: smtp });
    // Stripe's hosted pages and webhooks: events are delivered to this app as they happen
    fake.hosted = { deliver: (events) => deliver(t.app, events) };
    await waitFor('the lookup index', 60_000, () => t.app.get(LookupIndexService).ready);
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 600_000);
  // a failed test leaves its pages open: keep what they showed, then close them
  afterEach(async () => {
    for (const [i, page] of chrome.context.pages().entries()) {
      if (page.url().startsWith(t.url) || page.url().includes('/hosted/')) await shots.take(page, `failed-${expect.getState().currentTestName?.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => undefined);
      await page.close().catch(() => undefined);
    }
  });
  afterAll(async () => {
    shots.print('customer portal screenshots');
    await chrome?.close();
    await devChrome?.close();
    await t?.close();
    await fake?.stop();
    await inbox.close();
  }, APP_BOOT_TIMEOUT_MS);

  const newPage = async (): Promise<Page> => {
    const page = await chrome.context.newPage();
    page.setDefaultTimeout(STEP_MS);
    return page;
  };
  /** Waits until the element shows the text (pages render after their requests answer). */
  const shows = async (page: Page, selector: string, content: string): Promise<void> => {
    try {
      await page.waitForSelector(`${selector}:has-text(${JSON.stringify(content)})`, { timeout: STEP_MS });
    } catch (error) {
      // what the page showed instead, kept next to the screenshots
      await shots.take(page, `failed-${Date.now()}`).catch(() => undefined);
      throw new Error(`${(error as Error).message}\npage text: ${(await page.textContent('body').catch(() => '')) ?? ''}`, { cause: error });
    }
  };
  const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector, { timeout: STEP_MS })) ?? '').trim();
  // public addresses: special-purpose space (documentation ranges included) is answered free, uncounted
  const lookup = (key: string, ip = '45.83.15.7') => fetch(`${t.url}/v1/ip/${ip}`, { headers: { 'x-api-key': key }, signal: AbortSignal.timeout(STEP_MS) });
  const bulk = (key: string) =>
    fetch(`${t.url}/v1/ip/bulk`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ ips: ['45.83.15.8', '45.83.15.9'] }), signal: AbortSignal.timeout(STEP_MS) });

  it(
    'signs up, confirms the email, creates a key, looks up, upgrades through Checkout, gets the new limits and the invoice',
    async () => {
      const page = await newPage();
      // sign-up
      await open(page, t.url, '#/signup');
      await page.fill('[data-form=signup] input[name=organization_name]', 'Browser Customer Ltd');
      await page.fill('[data-form=signup] input[name=email]', owner.email);
      await page.fill('[data-form=signup] input[name=password]', PASSWORD);
      expect(await shots.check(page, '01-signup')).toEqual([]);
      await page.click('[data-form=signup] button[type=submit]');
      owner.org = (await page.getAttribute('[data-signed-up]', 'data-signed-up', { timeout: STEP_MS })) ?? '';
      expect(owner.org).toMatch(/^[0-9a-f-]{36}$/);
      expect(await shots.check(page, '02-signup-check-email')).toEqual([]);

      // no dev banner: this Quorum has an SMTP server
      expect(await page.isHidden('#dev-banner')).toBe(true);
      // signing in before confirming is refused, with a way to a new link
      await open(page, t.url, '#/login');
      await page.fill('[data-form=login] input[name=email]', owner.email);
      await page.fill('[data-form=login] input[name=password]', PASSWORD);
      expect(await shots.check(page, '03-login')).toEqual([]);
      await page.click('[data-form=login] button[type=submit]');
      await shows(page, '[data-form=login] [role=alert]', 'Confirm your email address first');

      // the link of the message received by the SMTP server
      const mail = await inbox.waitFor(owner.email, /Confirm your email/);
      await open(page, t.url, hashOf(portalLink(mail.text)));
      expect(await page.getAttribute('[data-verified]', 'data-verified', { timeout: STEP_MS })).toBe(owner.email);
      expect(await shots.check(page, '04-verify-email')).toEqual([]);
      // a used link says so and offers a new one
      await open(page, t.url, hashOf(portalLink(mail.text)));
      await page.waitForSelector('[data-form=resend]');
      expect(await shots.check(page, '05-verify-email-used-link')).toEqual([]);

      await signInThroughPage(page, t.url, owner.email, PASSWORD);
      await page.waitForSelector('[data-figure=today]');
      expect(await text(page, '[data-plan]')).toBe('Free');
      expect(await text(page, '[data-figure=today] .value')).toMatch(/^0 \/ /);
      expect(await shots.check(page, '06-overview-new')).toEqual([]);

      // create a key (shown once) and look an IP up with it
      await open(page, t.url, '#/keys');
      await page.fill('[data-form=create-key] input[name=name]', 'production');
      await page.check('[data-form=create-key] input[value=usage]');
      await page.click('[data-form=create-key] button[type=submit]');
      const key = await text(page, '[data-key-secret]');
      expect(key).toMatch(/^qk_/);
      expect(await page.locator('tr[data-key]').count()).toBe(1);
      expect(await shots.check(page, '07-keys-created')).toEqual([]);
      const answer = await lookup(key);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { ip: string }).ip).toBe('45.83.15.7');
      // the free plan has no bulk lookups
      expect((await bulk(key)).status).toBe(402);
      // counted once the answer is sent, written by the usage flush
      await waitFor('the lookup in the usage table', 30_000, async () => {
        await t.app.get(LookupUsageService).flush();
        const [row] = await sql<{ n: number }>(t.config.database.url, 'SELECT COALESCE(SUM(lookups), 0)::int AS n FROM usage_counter WHERE organization_id = $1', [owner.org]);
        return row.n >= 1;
      });
      await open(page, t.url, '#/keys');
      expect(await text(page, 'tr[data-key] [data-last-used]')).toBe(new Date().toISOString().slice(0, 10));
      // usage per key and per day
      const prefix = await page.getAttribute('tr[data-key]', 'data-key');
      expect(await text(page, `tr[data-usage="${new Date().toISOString().slice(0, 10)} ${prefix}"] td.num`)).toBe('1');
      expect(await shots.check(page, '08-keys-last-used')).toEqual([]);
      await open(page, t.url, '#/overview');
      await page.waitForSelector('svg.chart rect.bar', { state: 'attached' });
      expect(await page.getAttribute(`rect.bar[data-day="${new Date().toISOString().slice(0, 10)}"]`, 'data-value')).toBe('1');
      expect(await text(page, '[data-figure=today] .value')).toMatch(/^1 \/ /);
      expect(await shots.check(page, '09-overview-usage')).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await shots.check(page, '10-overview-phone')).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 800 });

      // plans with prices; upgrade through the fake Stripe's hosted Checkout
      await open(page, t.url, '#/billing');
      expect(await text(page, '[data-price=pro]')).toBe('$49.00 / month');
      expect(await text(page, '[data-current-plan]')).toBe('Free');
      expect(await shots.check(page, '11-billing-free')).toEqual([]);
      await page.click('[data-choose=pro]');
      await page.waitForSelector('#pay', { timeout: STEP_MS });
      expect(page.url()).toContain('/hosted/checkout/');
      await shots.take(page, '12-stripe-checkout');
      await page.click('#pay');
      await page.waitForSelector('[data-outcome=success]', { timeout: 90_000 });
      expect(await text(page, '[data-outcome=success] [data-plan]')).toBe('Pro');
      expect(await shots.check(page, '13-billing-success')).toEqual([]);

      // the new limits apply to the key
      await waitFor('bulk lookups on the pro plan', 30_000, async () => (await bulk(key)).status === 200);
      await open(page, t.url, '#/overview');
      await page.waitForSelector('[data-figure=bulk]');
      expect(await text(page, '[data-plan]')).toBe('Pro');
      expect(await text(page, '[data-figure=bulk] .value')).not.toBe('not in this plan');

      // the invoice is visible
      await open(page, t.url, '#/billing');
      await page.waitForSelector('tr[data-invoice]');
      expect(await text(page, 'tr[data-invoice]')).toContain('$49.00');
      expect(await text(page, '[data-current-plan]')).toBe('Pro');
      expect(await shots.check(page, '14-billing-pro-invoice')).toEqual([]);

      // a plan change goes through the same subscription, prorated
      await page.click('[data-choose=business]');
      await page.waitForSelector('[data-current-plan]:text-is("Business")', { timeout: 90_000 });
      expect(await page.locator('tr[data-invoice]').count()).toBe(2);
      expect(await shots.check(page, '15-billing-business')).toEqual([]);
      const customer = [...fake.customers.values()].find((c) => (c.metadata as Record<string, string>).organization_id === owner.org);
      expect([...fake.subscriptions.values()].filter((s) => s.customer === customer?.id)).toHaveLength(1);

      // the Stripe billing portal, and back
      await page.click('[data-billing-portal]');
      await page.waitForSelector('#return');
      await shots.take(page, '16-stripe-billing-portal');
      await page.click('#return');
      await page.waitForSelector('[data-current-plan]');
      expect(page.url()).toContain('/app/#/billing');

      // a cancelled checkout has its page too
      await open(page, t.url, '#/billing/cancelled');
      await page.waitForSelector('[data-outcome=cancelled]');
      expect(await shots.check(page, '17-billing-cancelled')).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'invites a developer who manages keys but not billing; roles change and members go',
    async () => {
      const page = await newPage();
      await signInThroughPage(page, t.url, owner.email, PASSWORD);
      await open(page, t.url, '#/members');
      const devEmail = `dev-${stamp}@example.net`;
      await page.fill('[data-form=invite] input[name=email]', devEmail);
      await page.selectOption('[data-form=invite] select[name=role]', 'developer');
      await page.click('[data-form=invite] button[type=submit]');
      await page.waitForSelector(`tr[data-invitation="${devEmail}"]`);
      expect(await shots.check(page, '18-members-invited')).toEqual([]);

      const invitation = await inbox.waitFor(devEmail, /invited/);
      // the developer in a browser of their own (cookies are per browser profile)
      devChrome = await launchChromium();
      const dev = await devChrome.context.newPage();
      dev.setDefaultTimeout(STEP_MS);
      await open(dev, t.url, hashOf(portalLink(invitation.text)));
      await dev.fill('[data-form=accept] input[name=password]', PASSWORD);
      expect(await shots.check(dev, '19-accept-invitation')).toEqual([]);
      await dev.click('[data-form=accept] button[type=submit]');
      await shows(dev, '[data-form=login] [role=alert]', 'you joined as developer');
      await dev.fill('[data-form=login] input[name=password]', PASSWORD);
      await dev.click('[data-form=login] button[type=submit]');
      await dev.waitForSelector('[data-figure=today]');
      expect(await dev.isHidden('[data-nav=billing]')).toBe(true);

      // keys: yes
      await open(dev, t.url, '#/keys');
      await dev.fill('[data-form=create-key] input[name=name]', 'ci');
      await dev.selectOption('[data-form=create-key] select[name=expires]', '30 days');
      const in30Days = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const expiryBefore = in30Days();
      await dev.click('[data-form=create-key] button[type=submit]');
      expect(await text(dev, '[data-key-secret]')).toMatch(/^qk_/);
      // the day the key expires (the UTC day may turn while the key is made)
      expect([expiryBefore, in30Days()]).toContain(await text(dev, 'tr[data-key]:has(td:text-is("ci")) [data-expires]'));
      expect(await text(dev, 'tr[data-key]:has(td:text-is("production")) [data-expires]')).toBe('never');
      await dev.click('tr[data-key]:has(td:text-is("ci")) button[data-revoke]');
      await dev.waitForSelector('tr[data-key]:has(td:text-is("ci")):has-text("revoked")');
      expect(await shots.check(dev, '20-keys-developer')).toEqual([]);
      // billing: no (the page, and the API behind it)
      await open(dev, t.url, '#/billing');
      await shows(dev, '[data-state=error]', '403');
      expect(await shots.check(dev, '21-billing-forbidden-developer')).toEqual([]);
      const checkout = await dev.evaluate(`(async () => {
        const csrf = decodeURIComponent(/quorum_member_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
        return (await fetch('/v1/billing/checkout', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ organization_id: '${owner.org}', plan_id: 'pro' }) })).status;
      })()`);
      expect(checkout).toBe(403);

      // the owner makes them billing, then removes them
      await open(page, t.url, '#/members');
      await page.selectOption(`select[data-role-of="${devEmail}"]`, 'billing');
      // (a selector, not waitForFunction: the page's CSP refuses the eval a string predicate needs)
      await page.waitForSelector(`select[data-role-of="${devEmail}"] option[value=billing]:checked`, { state: 'attached' });
      await open(dev, t.url, '#/billing');
      await dev.waitForSelector('[data-current-plan]');
      // a billing member's menu has billing, not keys (which it may not list)
      expect([await dev.isVisible('[data-nav=billing]'), await dev.isHidden('[data-nav=keys]')]).toEqual([true, true]);
      await open(dev, t.url, '#/keys');
      await shows(dev, '[data-state=error]', '403');
      await page.click(`[data-remove="${devEmail}"]`);
      await page.waitForSelector(`tr[data-member="${devEmail}"]`, { state: 'detached' });
      expect(await shots.check(page, '22-members-after-removal')).toEqual([]);
      await open(dev, t.url, '#/keys');
      await dev.waitForSelector('[data-form=login]');
      await dev.close();
      await page.close();
      await devChrome.close();
    },
    TEST_MS,
  );

  it(
    'turns two-factor sign-in on and signs in with a code; resets a forgotten password from the emailed link',
    async () => {
      const page = await newPage();
      await signInThroughPage(page, t.url, owner.email, PASSWORD);
      await open(page, t.url, '#/account');
      expect(await shots.check(page, '23-account')).toEqual([]);
      await page.click('[data-totp=off] button');
      const secret = await text(page, '[data-totp-secret]');
      await page.fill('[data-form=totp-enable] input[name=code]', totpCode(secret, Date.now()));
      expect(await shots.check(page, '24-account-totp-setup')).toEqual([]);
      await page.click('[data-form=totp-enable] button[type=submit]');
      await page.waitForSelector('[data-totp=on]');
      expect(await shots.check(page, '25-account-totp-on')).toEqual([]);
      await page.click('#logout');
      await page.waitForSelector('[data-form=login]');
      await page.fill('[data-form=login] input[name=email]', owner.email);
      await page.fill('[data-form=login] input[name=password]', PASSWORD);
      await page.click('[data-form=login] button[type=submit]');
      await page.waitForSelector('[data-form=login] input[name=totp_code]', { state: 'visible' });
      expect(await shots.check(page, '26-login-totp')).toEqual([]);
      // the code of the next 30 s step: the current one was spent on enabling
      await page.fill('[data-form=login] input[name=totp_code]', totpCode(secret, Date.now() + 30_000));
      await page.click('[data-form=login] button[type=submit]');
      await page.waitForSelector('[data-figure=today]');

      // a forgotten password (another member, without two-factor)
      const viewer = await createMember(t.app, owner.org, 'viewer', false);
      await page.context().clearCookies();
      await open(page, t.url, '#/reset-password');
      await page.fill('[data-form=reset-request] input[name=email]', viewer.email);
      await page.click('[data-form=reset-request] button[type=submit]');
      await page.waitForSelector('[data-form=reset-request] .ok');
      expect(await shots.check(page, '27-reset-password-request')).toEqual([]);
      const mail = await inbox.waitFor(viewer.email, /Reset your Quorum password/);
      await open(page, t.url, hashOf(portalLink(mail.text)));
      await page.fill('[data-form=reset-confirm] input[name=password]', 'a brand new password');
      expect(await shots.check(page, '28-reset-password-confirm')).toEqual([]);
      await page.click('[data-form=reset-confirm] button[type=submit]');
      await page.waitForSelector('[data-reset=done]');
      expect(await shots.check(page, '29-reset-password-done')).toEqual([]);
      await signInThroughPage(page, t.url, viewer.email, 'a brand new password');
      // a viewer reads keys, cannot create them
      await open(page, t.url, '#/keys');
      await page.waitForSelector('tr[data-key]');
      expect(await page.locator('[data-form=create-key]').count()).toBe(0);
      expect(await shots.check(page, '30-keys-viewer')).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    "shows a community organisation its agents, enrollment keys and CrowdSec bouncer keys",
    async () => {
      const org = await t.app.get(OrganizationsService).create(`Community ${stamp}`, 'community');
      const member = await createMember(t.app, org.id, 'developer', false);
      const page = await newPage();
      await signInThroughPage(page, t.url, member.email, OPERATOR_PASSWORD);
      expect(await page.isVisible('[data-nav=agents]')).toBe(true);
      await page.click('[data-nav=agents]');
      await page.fill('[data-form=enrollment-key] input[name=name]', 'web servers');
      await page.fill('[data-form=enrollment-key] input[name=ttl_days]', '30');
      await page.click('[data-form=enrollment-key] button[type=submit]');
      expect(await text(page, '[data-key-secret]')).toMatch(/^qek_/);
      await page.fill('[data-form=bouncer-key] input[name=name]', 'edge-firewall-1');
      await page.click('[data-form=bouncer-key] button[type=submit]');
      await page.waitForSelector('tr[data-bouncer-key]');
      expect(await text(page, '[data-key-secret]')).not.toBe('');
      expect(await page.locator('tr[data-enrollment-key]').count()).toBe(1);
      expect(await shots.check(page, '31-agents-community')).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );
});
