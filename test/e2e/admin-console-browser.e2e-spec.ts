import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { AgentsService } from '../../src/agents/agents.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { DelistingService } from '../../src/consensus/delisting/delisting.service.js';
import { IpRightsService } from '../../src/privacy/ip-rights.service.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { closePages, goTo, signInToConsole } from '../browser/console.js';
import { Screenshots } from '../browser/portal.js';
import { operator } from '../browser/seed.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

const STEP_MS = 30_000;
const TEST_MS = 240_000;

/**
 * Issue 18, the operator console at /admin in Debian's Chromium: a day of work without leaving the
 * browser — a quarantined agent revoked, two delisting requests decided with a justification (one
 * upheld, one rejected), an IP erasure request seen with its GDPR deadline and a customer's erasure
 * request carried out, a past-due (failed payment) customer found by filter — then the audit log shows
 * every action with a verified chain. Each page is checked with axe-core (no serious or critical
 * violation); screenshots under test-output/admin-console.
 */
describe('operator console in a browser', () => {
  let t: TestApp & { url: string };
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  const shots = new Screenshots('test-output/admin-console');
  const stamp = randomUUID().slice(0, 6);
  const seeded = { agent: '', agentName: `edge-${stamp}`, org: '', orgName: `Community ${stamp}`, delistA: '', delistB: '', erasure: '', eraseOrg: '', eraseName: `Leaving ${stamp}`, failing: '', failingName: `Failing ${stamp}` };

  beforeAll(async () => {
    buildAdminPage();
    t = await listenTestApp();
    const db = t.config.database.url;
    // a community organisation whose agent the scoring engine quarantined (a dark canary hit)
    seeded.org = (await t.app.get(OrganizationsService).create(seeded.orgName)).id;
    await sql(db, "UPDATE organization SET kind = 'community' WHERE id = $1", [seeded.org]);
    seeded.agent = (await t.app.get(AgentsService).createWatcherForOrganization(seeded.org, `machine-${stamp}`, 'watcher-password-123', 'test')).id;
    await sql(db, 'UPDATE agent SET name = $2, last_signal_at = now() WHERE id = $1', [seeded.agent, seeded.agentName]);
    const identity = await t.app.get(ReporterIdentityService).identify(seeded.org, seeded.agent);
    await sql(
      db,
      `INSERT INTO reporter (pseudonym, owner, kind, enrolled_at, alpha, beta, quarantined_at, quarantine_reason, updated_at)
       VALUES ($1, $2, 'community', now() - interval '40 days', 3, 54, now() - interval '2 hours', 'canary', now())`,
      [identity.reporter, identity.owner],
    );
    // two reasoned delisting requests (carrier NAT: no proof possible) in the review queue
    const delisting = t.app.get(DelistingService);
    for (const [key, ip, reason] of [['delistA', '45.33.12.41', 'Shared mobile gateway, the attacks are not ours'], ['delistB', '45.33.12.42', 'Our office router, we cleaned an infected laptop']] as const) {
      const created = await delisting.create(ip, `198.51.100.${key === 'delistA' ? 1 : 2}`, {});
      await delisting.requestReview(created.record.id, created.token, { reason, contact: `noc-${key}@example.org` }, '198.51.100.9');
      seeded[key] = created.record.id;
    }
    // an IP holder's erasure request (waiting for its proof) and a customer asking to be erased
    seeded.erasure = (await t.app.get(IpRightsService).create('ip_erasure', '45.33.12.77', '198.51.100.3')).request.id;
    seeded.eraseOrg = (await t.app.get(OrganizationsService).create(seeded.eraseName)).id;
    // a customer whose renewal payment failed: Stripe moved its subscription to past_due
    seeded.failing = (await t.app.get(OrganizationsService).create(seeded.failingName)).id;
    await sql(
      db,
      `INSERT INTO subscription (id, organization_id, customer_id, status, plan_id, amount_cents, state_at, past_due_since, updated_at)
       VALUES ($1, $2, $3, 'past_due', 'pro', 4900, 1, now(), now())`,
      [`sub_failing_${stamp}`, seeded.failing, `cus_failing_${stamp}`],
    );
    chrome = await launchChromium();
  }, APP_BOOT_TIMEOUT_MS + 300_000);
  afterEach(() => closePages(chrome.context, t.url, shots));
  afterAll(async () => {
    shots.print('operator console screenshots');
    await chrome?.close();
    await t?.close();
  });

  const logIn = (email: string): Promise<Page> => signInToConsole(chrome.context, t.url, email);

  const go = goTo;

  it('shows the login page without the navigation, labelled, with no serious accessibility problem', async () => {
    const page = await chrome.context.newPage();
    await page.goto(`${t.url}/admin`, { timeout: STEP_MS });
    await page.waitForSelector('form.login', { timeout: STEP_MS });
    expect(await page.isVisible('#top')).toBe(false);
    expect(await page.isVisible('nav')).toBe(false);
    expect(await page.getByLabel('Email').count()).toBe(1);
    expect(await page.getByLabel('Password').count()).toBe(1);
    expect(await shots.check(page, 'login')).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('labels the capacity bar, lays the plan editor out in labelled fields, and passes axe on the overview and plans', async () => {
    const page = await logIn(await operator(t.app, 'admin'));
    expect(await page.isVisible('#top')).toBe(true);
    const meter = page.getByLabel(/Lookups today against the day's quota capacity/);
    expect(await meter.evaluate((el) => el.tagName)).toBe('PROGRESS');
    expect(await shots.check(page, 'overview')).toEqual([]);
    await go(page, 'plans', 'form.plan-form');
    const form = page.locator('form.plan-form').first();
    for (const label of ['Burst per second', 'Daily quota', 'Monthly quota', 'Bulk size']) expect(await form.getByLabel(label).count()).toBe(1);
    // the four fields sit side by side on a laptop, the button below them
    const boxes = await Promise.all(['Burst per second', 'Bulk size'].map((l) => form.getByLabel(l).boundingBox()));
    expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(4);
    const button = await form.locator('button[type=submit]').boundingBox();
    expect(button!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height);
    expect(await shots.check(page, 'plans')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await shots.take(page, 'plans-phone');
    await page.close();
  }, TEST_MS);

  it('a day of work: quarantined agent revoked, two delisting requests decided, erasure requests handled, all in the audit log', async () => {
    const db = t.config.database.url;
    const adminEmail = await operator(t.app, 'admin');
    const page = await logIn(adminEmail);
    const [{ id: operatorId }] = await sql<{ id: string }>(db, 'SELECT id FROM operator_user WHERE email = $1', [adminEmail]);

    // 0. the failed payment: the past-due customer, found by the subscription filter
    await go(page, 'customers', 'input[type=search]');
    await page.getByLabel('Subscription').selectOption('past_due');
    await page.waitForSelector(`tr[data-customer="${seeded.failing}"]`, { timeout: STEP_MS });
    const statuses = await page.locator('tbody tr .badge').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['past_due']));
    expect(await shots.check(page, 'customers-past-due')).toEqual([]);
    await page.getByLabel('Subscription').selectOption('');
    await page.waitForSelector('main table', { timeout: STEP_MS });
    await page.waitForSelector('main [data-state=loading]', { timeout: STEP_MS, state: 'detached' });

    // 1. the quarantined agent, found by the Community page's filter
    await go(page, 'community', 'form[role=search]');
    await page.getByLabel('Status').selectOption('quarantined');
    await page.getByLabel('Agent or organisation').fill(seeded.orgName);
    await page.click('form[role=search] button[type=submit]');
    const agentRow = page.locator(`tr[data-agent="${seeded.agent}"]`);
    await agentRow.waitFor({ timeout: STEP_MS });
    expect(await page.locator('tbody tr[data-agent]').count()).toBe(1);
    expect(await agentRow.getAttribute('data-band')).toBe('quarantined');
    const agentText = await agentRow.textContent();
    expect(agentText).toContain('canary');
    expect(agentText).toContain(seeded.orgName);
    expect(agentText).toContain('community');
    expect(await shots.check(page, 'community')).toEqual([]);
    await agentRow.locator('button[data-revoke]').click();
    await agentRow.locator('button[data-revoke]', { hasText: 'Confirm' }).click();
    await page.waitForSelector(`tr[data-agent="${seeded.agent}"] .badge.revoked`, { timeout: STEP_MS });
    const [agent] = await sql<{ status: string }>(db, 'SELECT status::text FROM agent WHERE id = $1', [seeded.agent]);
    expect(agent.status).toBe('revoked');

    // 2. the delisting and privacy queue, most urgent first, with the GDPR deadline
    await go(page, 'requests', `tr[data-item="${seeded.delistA}"]`);
    const order = await page.locator('table').first().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')));
    expect(order.indexOf(seeded.delistA)).toBeLessThan(order.indexOf(seeded.erasure));
    expect(order.indexOf(seeded.delistB)).toBeLessThan(order.indexOf(seeded.erasure));
    const erasureRow = page.locator(`tr[data-item="${seeded.erasure}"]`);
    expect(await erasureRow.textContent()).toContain('GDPR: answered within one month of receipt');
    expect(await erasureRow.textContent()).toContain('Erasure (Art. 17)');
    const [received] = await sql<{ created_at: Date }>(db, 'SELECT created_at FROM privacy_request WHERE id = $1', [seeded.erasure]);
    const due = new Date(received.created_at);
    due.setUTCMonth(due.getUTCMonth() + 1);
    expect(await erasureRow.textContent()).toContain(due.toISOString().slice(0, 10));
    const rowA = page.locator(`tr[data-item="${seeded.delistA}"]`);
    expect(await rowA.textContent()).toContain('Shared mobile gateway');
    expect(await rowA.textContent()).toContain('noc-delistA@example.org');
    expect(await shots.check(page, 'requests')).toEqual([]);
    // a decision needs a justification: the browser refuses an empty one
    await rowA.getByLabel('Uphold: delist').check();
    await rowA.locator('button[type=submit]').click();
    expect(await rowA.locator('textarea:invalid').count()).toBe(1);
    expect(await page.locator(`tr[data-item="${seeded.delistA}"] form[data-decide]`).count()).toBe(1);
    await rowA.getByLabel('Justification (written to the audit log)').fill('Carrier-grade NAT gateway: the listing hits thousands of subscribers.');
    await rowA.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-item="${seeded.delistA}"][data-status=upheld]`, { timeout: STEP_MS });
    const rowB = page.locator(`tr[data-item="${seeded.delistB}"]`);
    await rowB.getByLabel('Reject: keep listed').check();
    await rowB.getByLabel('Justification (written to the audit log)').fill('Still attacking honeypots this morning: the cleaning did not work.');
    await rowB.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-item="${seeded.delistB}"][data-status=rejected]`, { timeout: STEP_MS });
    const decided = await sql<{ id: string; status: string; justification: string }>(db, 'SELECT id, status::text, justification FROM delisting_request WHERE id = ANY($1::uuid[]) ORDER BY ip', [[seeded.delistA, seeded.delistB]]);
    expect(decided.map((d) => d.status)).toEqual(['upheld', 'rejected']);
    expect(decided[0].justification).toContain('Carrier-grade NAT');
    expect(await page.textContent(`tr[data-item="${seeded.delistA}"] [data-decision]`)).toContain(`upheld by operator:${operatorId}`);
    expect(await page.textContent(`tr[data-item="${seeded.delistA}"] [data-decision]`)).toContain('Carrier-grade NAT');
    await shots.take(page, 'requests-decided');

    // 3. a customer's erasure request, from its detail page
    await go(page, 'customers', 'input[type=search]');
    await page.fill('input[type=search]', seeded.eraseName);
    await page.press('input[type=search]', 'Enter');
    await page.locator(`tr[data-customer="${seeded.eraseOrg}"] a`).click();
    const erase = page.locator(`form[data-erase="${seeded.eraseOrg}"]`);
    await erase.waitFor({ timeout: STEP_MS });
    expect(await shots.check(page, 'customer-detail')).toEqual([]);
    await erase.getByRole('textbox').fill('wrong name');
    await erase.locator('button[type=submit]').click();
    await page.waitForSelector('[data-state=error]', { timeout: STEP_MS });
    await erase.getByRole('textbox').fill(seeded.eraseName);
    await erase.locator('button[type=submit]').click();
    await page.waitForSelector('[data-state=ok]', { timeout: STEP_MS });
    const done = (await page.textContent('[data-state=ok]')) ?? '';
    expect(done).toContain('completed');
    // the organisation is gone (or marked erased while its last domains finish), its request completed
    const orgs = await sql<{ erased: boolean }>(db, 'SELECT erased_at IS NOT NULL AS erased FROM organization WHERE id = $1', [seeded.eraseOrg]);
    expect(orgs.every((o) => o.erased)).toBe(true);
    const requestId = /privacy request ([0-9a-f-]{36})/.exec(done)?.[1];
    const [request] = await sql<{ kind: string; status: string }>(db, 'SELECT kind, status FROM privacy_request WHERE id = $1', [requestId]);
    expect(request).toEqual({ kind: 'organization_erasure', status: 'completed' });

    // 4. the audit log: this operator's actions, filtered, with the chain verified
    await go(page, 'audit', '[data-chain]');
    expect(await page.getAttribute('[data-chain]', 'data-chain')).toBe('ok');
    await page.getByLabel('Actor').fill(`operator:${operatorId}`);
    await page.getByLabel('Action').fill('delisting.');
    await page.click('form[role=search] button[type=submit]');
    await waitFor('the two decisions, alone in the filtered log', STEP_MS, async () =>
      (await page.locator('tr[data-entry]').count()) === 2 && (await page.locator('tr[data-entry]:not([data-action^="delisting."])').count()) === 0);
    expect((await page.locator('tr[data-entry]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).sort()).toEqual(['delisting.rejected', 'delisting.upheld']);
    expect(await page.textContent('tbody')).toContain('Carrier-grade NAT');
    await page.getByLabel('Action').fill('');
    await page.getByLabel('Target').fill(`agent:${seeded.agent}`);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('tr[data-entry][data-action="agent.revoked"]', { timeout: STEP_MS });
    // a time range that ends before the day's work finds none of it
    await page.getByLabel('Target').fill('');
    await page.getByLabel('To (UTC)').fill('2020-01-01T00:00');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('[data-state=empty]', { timeout: STEP_MS });
    await page.getByLabel('To (UTC)').fill('');
    await page.getByLabel('Actor').fill('');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('tr[data-entry]', { timeout: STEP_MS });
    expect(await shots.check(page, 'audit')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await shots.take(page, 'audit-phone');
    await page.close();
  }, TEST_MS);

  it('shows a broken audit chain, and refuses the work queues to a billing operator', async () => {
    const db = t.config.database.url;
    const [last] = await sql<{ id: string; action: string }>(db, 'SELECT id::text, action FROM audit_log ORDER BY id DESC LIMIT 1');
    await sql(db, "UPDATE audit_log SET action = action || '.edited' WHERE id = $1", [last.id]);
    try {
      const page = await logIn(await operator(t.app, 'billing'));
      await go(page, 'audit', '[data-chain]');
      expect(await page.getAttribute('[data-chain]', 'data-chain')).toBe('broken');
      expect(await page.textContent('[data-chain]')).toContain(`entry ${last.id}`);
      await shots.take(page, 'audit-broken');
      await go(page, 'requests', '[data-state=error]');
      expect(await page.textContent('[data-state=error]')).toContain('403');
      await page.close();
    } finally {
      await sql(db, 'UPDATE audit_log SET action = $2 WHERE id = $1', [last.id, last.action]);
    }
  }, TEST_MS);

  it('answers bad filters with a 400 JSON error', async () => {
    const page = await logIn(await operator(t.app, 'support'));
    const answer = await page.evaluate(async () => {
      const res = await fetch('/v1/admin/console/audit?from=yesterday&limit=9999');
      return { status: res.status, body: (await res.json()) as { code: string; requestId: string } };
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    expect(answer.body.requestId).toBeTruthy();
    await page.close();
  }, TEST_MS);
});
