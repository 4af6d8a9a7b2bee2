import type { Page } from 'playwright-core';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { NeverListService } from '../../src/consensus/never-list/never-list.service.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { closePages, goTo, signInToConsole } from '../browser/console.js';
import { Screenshots } from '../browser/portal.js';
import { operator } from '../browser/seed.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';
import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';
import { scoringRun } from '../support/scoring.js';

const STEP_MS = 30_000;
const TEST_MS = 240_000;
const DAY = 86_400_000;

/**
 * Issue 18, the console's Listings page and the release from quarantine, in Debian's Chromium: a range
 * searched, one listed IP's explanation (voters as pseudonyms with their evidence, its listing in the
 * blocklist timeline), the version history paged; then an agent the engine quarantined (a dark canary
 * hit) released by an admin with a reason, pending, then released by the next scoring run, and the
 * request in the audit log. Each page is checked with axe-core; screenshots under test-output/admin-listings.
 */
describe('operator console in a browser: listings and quarantine release', () => {
  let t: TestApp & { url: string };
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  const shots = new Screenshots('test-output/admin-listings');
  const net = `185.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  const canaryNet = `${net.replace(/\.\d+$/, '')}.252`;
  const first = `${net}.20`;
  const pseudonyms: string[] = [];
  let outlier: TestAgent;

  async function push(agent: TestAgent, ips: string[]): Promise<void> {
    const req = signBatch(agent, { signals: ips.map((ip) => signal({ ip })) });
    const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    if (res.statusCode !== 200) throw new Error(`signals refused: ${res.statusCode} ${res.body}`);
  }

  beforeAll(async () => {
    buildAdminPage();
    t = await listenTestApp({ QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', ...scoringTestOverrides() });
    const identities = t.app.get(ReporterIdentityService);
    // four aged members of four networks report two IPs of one /24; a fifth reports an IP of a dark canary
    for (let i = 0; i < 5; i++) {
      const { enrollKey } = await createOrganization(t.app, `browser-listings-org-${i}`);
      const agent = await enrollAgent(t.app, enrollKey, `browser-listings-${i}`);
      await push(agent, i < 4 ? [first, `${net}.21`] : [`${net}.99`]);
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      await sql(t.config.database.url, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4, updated_at = now() WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        64_950 + i,
        `browser-listings-net-${i}`,
      ]);
      if (i < 4) pseudonyms.push(reporter);
      else outlier = agent;
    }
    await sql(t.config.database.url, "UPDATE organization SET kind = 'community' WHERE id = $1", [outlier.organizationId]);
    await t.app.get(NeverListService).addCanary(`${canaryNet}.0/24`, 'browser listings canary');
    await push(outlier, [`${canaryNet}.7`]);
    await scoringRun(t, 60_000);
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 300_000);
  afterEach(() => closePages(chrome.context, t.url, shots));
  afterAll(async () => {
    shots.print('operator console listings screenshots');
    await chrome?.close();
    await t?.close();
  });

  const logIn = (email: string): Promise<Page> => signInToConsole(chrome.context, t.url, email, '#top:not([hidden])');

  const go = goTo;

  it('searches a range, opens a listed IP\'s explanation and pages the blocklist versions', async () => {
    const page = await logIn(await operator(t.app, 'support'));
    await go(page, 'listings', 'form[role=search]');
    await page.waitForSelector('tr[data-version]', { timeout: STEP_MS });
    await page.getByLabel(/IP address or range/).fill(`${net}.0/24`);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector(`tr[data-key="${first}"]`, { timeout: STEP_MS });
    expect(await page.getAttribute(`tr[data-key="${first}"]`, 'data-listed')).toBe('true');
    expect(await page.getAttribute(`tr[data-key="${net}.99"]`, 'data-listed')).toBe('false');
    expect(await page.textContent('[data-summary]')).toContain('3 of 256 addresses scored, 2 listed');
    expect(await shots.check(page, 'listings-range')).toEqual([]);

    await page.click(`tr[data-key="${first}"] a`);
    await page.waitForSelector('tr[data-voter]', { timeout: STEP_MS });
    const voters = await page.$$eval('tr[data-voter]', (rows) => rows.map((r) => r.getAttribute('data-voter')));
    expect(voters.sort()).toEqual([...pseudonyms].sort());
    expect(await page.textContent('tr[data-voter]')).toContain('crowdsecurity/ssh-bf: 1 signal');
    expect(await page.locator('tr[data-event="listed"]').count()).toBe(1);
    expect(await page.textContent('[data-state-line]')).toContain('listed');
    expect(await shots.check(page, 'listing-detail')).toEqual([]);

    // an address typed alone goes straight to its explanation
    await page.click('a[href="#/listings"]');
    await page.waitForSelector('form[role=search]', { timeout: STEP_MS });
    await page.getByLabel(/IP address or range/).fill(`${net}.200`);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('[data-state-line]', { timeout: STEP_MS });
    expect(await page.textContent('[data-state-line]')).toContain('unknown');
  }, TEST_MS);

  it('releases the quarantined agent with a reason: pending, then released by the next run, and audited', async () => {
    const page = await logIn(await operator(t.app, 'admin'));
    await go(page, 'community', 'form[role=search]');
    await page.getByLabel('Agent or organisation').fill('browser-listings-4');
    await page.click('form[role=search] button[type=submit]');
    const row = page.locator(`tr[data-agent="${outlier.id}"]`);
    await row.waitFor({ timeout: STEP_MS });
    expect(await row.getAttribute('data-band')).toBe('quarantined');
    expect(await page.locator(`tr[data-organization="${outlier.organizationId}"][data-kind="community"]`).count()).toBe(1);
    await row.getByLabel(/Reason for the release/).fill('canary range announced by mistake');
    await row.locator('button', { hasText: 'Release from quarantine' }).click();
    await page.waitForSelector(`tr[data-agent="${outlier.id}"] [data-release="pending"]`, { timeout: STEP_MS });
    expect(await row.locator('form[data-release-form]').count()).toBe(0);
    expect(await shots.check(page, 'community-release-pending')).toEqual([]);

    await scoringRun(t, 60_000);
    await go(page, 'listings', 'form[role=search]');
    await go(page, 'community', 'form[role=search]');
    await page.getByLabel('Agent or organisation').fill('browser-listings-4');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector(`tr[data-agent="${outlier.id}"] [data-release="released"]`, { timeout: STEP_MS });
    expect(await row.getAttribute('data-band')).not.toBe('quarantined');
    expect(await shots.check(page, 'community-released')).toEqual([]);

    await go(page, 'audit', 'form[role=search]');
    await page.waitForSelector('tr[data-action="agent.quarantine_release_requested"]', { timeout: STEP_MS });
  }, TEST_MS);

  it('lays the listings page out on a phone without losing the search', async () => {
    const page = await logIn(await operator(t.app, 'support'));
    await page.setViewportSize({ width: 390, height: 844 });
    await go(page, 'listings', 'form[role=search]');
    await page.getByLabel(/IP address or range/).fill(`${net}.0/24`);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector(`tr[data-key="${first}"]`, { timeout: STEP_MS });
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    expect(await shots.check(page, 'listings-phone')).toEqual([]);
  }, TEST_MS);
});
