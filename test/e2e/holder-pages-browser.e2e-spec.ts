import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { PROOF_PATH_PREFIX } from '../../src/consensus/delisting/proof-verifier.js';
import { buildAdminPage, launchChromium } from '../browser/chromium.js';
import { type HolderProofServer, startHolderProofServer } from '../browser/holder-proof-server.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { createOperator, type Operator } from '../support/principals.js';

const SHOTS = 'test-output/holder-pages';
const STEP_MS = 15_000;
const AXE_SOURCE = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The IP-holder pages in Debian's Chromium (docs/consensus.md, "Delisting"): an unlisted and a listed
 * address explained in plain words; a delisting proven by a file served over HTTP (a real fetch, from
 * a server this test starts on loopback, reached through the verifier with the listed address mapped to
 * it), proven by an agent on the address, and asked as a reasoned review that an operator decides; a
 * privacy request started. Every page is checked with axe-core: no serious or critical violation.
 */
describe('IP-holder pages in a browser', () => {
  let t: TestApp & { url: string };
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let agent: TestAgent;
  let reviewer: Operator;
  let proofServer: HolderProofServer | undefined;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildAdminPage();
    t = await listenTestApp();
    const org = await createOrganization(t.app, 'holder-browser');
    agent = await enrollAgent(t.app, org.enrollKey);
    reviewer = await createOperator(t.app, 'support', null);
    // The holder's server: every listed address of this test is this loopback server, reached over real
    // HTTP by the real fetch (for the delisting and the privacy verifier instances alike).
    proofServer = await startHolderProofServer();
    chrome = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
    await proofServer?.stop();
  });

  async function list(ip: string): Promise<void> {
    const now = Date.now();
    await sql(
      t.config.database.url,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot, version, updated_at)
       VALUES ($1, 4.2, 9, 6, 5, ARRAY['crowdsecurity/ssh-bf','crowdsecurity/http-probing'], $2, $3, true, $3, $4, 'consensus', false, 1, $3)
       ON CONFLICT (ip_key) DO UPDATE SET listed = true`,
      [ip, new Date(now - 6 * 3_600_000), new Date(now - 600_000), new Date(now + 30 * 3_600_000)],
    );
  }

  /** axe-core in the page: every serious or critical violation, by rule and target. */
  async function accessibilityProblems(page: Page): Promise<string[]> {
    // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') refuses injected script tags.
    await page.evaluate(AXE_SOURCE);
    // Runs in the page (a string: this file is compiled without DOM typings).
    const result = (await page.evaluate('window.axe.run(document)')) as { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }

  async function open(path: string, ready: string): Promise<Page> {
    const page = await chrome.context.newPage();
    await page.goto(`${t.url}${path}`, { timeout: STEP_MS });
    await page.waitForSelector(ready, { timeout: STEP_MS });
    return page;
  }

  it('asks for an address on / and /check, and goes to its page', async () => {
    const page = await open('/', 'form[data-form=check]');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/check.png`, fullPage: true });
    const ip = attackerIp();
    await page.fill('input[name=ip]', ip);
    await page.click('form[data-form=check] button[type=submit]');
    await page.waitForSelector('[data-verdict]', { timeout: STEP_MS });
    expect(page.url()).toBe(`${t.url}/ip/${ip}`);
    await page.close();
    const check = await open('/check', 'form[data-form=check]');
    await check.close();
  });

  it('explains an unlisted address and offers privacy requests, not a delisting', async () => {
    const page = await open(`/ip/${attackerIp()}`, '[data-verdict=clear]');
    expect(await page.$('form[data-form=delisting]')).toBeNull();
    expect(await page.$('form[data-form=privacy]')).not.toBeNull();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/unlisted.png`, fullPage: true });
    await page.close();
  });

  it('explains a listed address in plain words, then a file served over HTTP delists it pending review', async () => {
    const ip = attackerIp();
    await list(ip);
    const page = await open(`/ip/${ip}`, '[data-verdict=listed]');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('SSH brute force');
    expect(text).toContain('6-20 independent reporters');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/listed.png`, fullPage: true });

    await page.fill('form[data-form=delisting] textarea[name=reason]', 'Our web server; the reports came from a compromised plugin, now removed');
    await page.click('form[data-form=delisting] button[type=submit]');
    await page.waitForSelector('[data-delisting-status=pending_proof]', { timeout: STEP_MS });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/delisting-steps.png`, fullPage: true });
    const copies = await page.$$eval('pre.copy', (nodes) => nodes.map((n) => n.textContent ?? ''));
    const [httpUrl, httpsUrl, fileContent] = copies;
    expect(httpUrl).toMatch(new RegExp(`^http://${ip.replaceAll('.', '\\.')}${PROOF_PATH_PREFIX}`));
    expect(httpsUrl).toBe(httpUrl.replace('http://', 'https://'));
    const proofPath = new URL(httpUrl).pathname;

    // Not served yet: the page says so and nothing changes.
    await page.click('button[data-action=verify]');
    await page.waitForSelector('p[role=alert]:has-text("not served")', { timeout: STEP_MS });
    proofServer!.serve(proofPath, `${fileContent}\n`);
    await page.click('button[data-action=verify]');
    await page.waitForSelector('[data-delisting-status=verified]', { timeout: STEP_MS });
    await page.screenshot({ path: `${SHOTS}/delisting-verified.png`, fullPage: true });
    const id = proofPath.slice(PROOF_PATH_PREFIX.length);
    const [row] = await sql<{ status: string; proof_method: string; reason: string }>(t.config.database.url, 'SELECT status, proof_method, reason FROM delisting_request WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'verified', proof_method: 'http', reason: 'Our web server; the reports came from a compromised plugin, now removed' });
    await page.close();
  });

  it('is proven by an agent running on the address, and the page shows it on refresh', async () => {
    const ip = attackerIp();
    await list(ip);
    const page = await open(`/ip/${ip}`, '[data-verdict=listed]');
    await page.click('form[data-form=delisting] button[type=submit]');
    await page.waitForSelector('[data-delisting-status=pending_proof]', { timeout: STEP_MS });
    const command = (await page.$$eval('pre.copy', (nodes) => nodes.map((n) => n.textContent ?? ''))).find((c) => c.startsWith('curl ')) as string;
    const token = /"token":"([^"]+)"/.exec(command)?.[1] as string;
    const path = /(\/v1\/delisting-requests\/[^ ]+\/agent-proof)$/.exec(command)?.[1] as string;
    expect(command).toContain('quorum-agent token');
    // The agent's request, as its curl would send it, from the listed address.
    const proven = await t.app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${agent.token}` }, payload: { token }, remoteAddress: ip });
    expect(proven.statusCode).toBe(200);
    await page.click('button[data-action=refresh]');
    await page.waitForSelector('[data-delisting-status=verified]', { timeout: STEP_MS });
    await page.close();
  });

  it('takes a reasoned review (carrier NAT) to the operators, and shows their decision', async () => {
    const ip = attackerIp();
    await list(ip);
    const page = await open(`/ip/${ip}`, '[data-verdict=listed]');
    await page.click('form[data-form=delisting] button[type=submit]');
    await page.waitForSelector('form[data-form=review-request]', { timeout: STEP_MS });
    await page.fill('form[data-form=review-request] textarea[name=reason]', 'Mobile network behind carrier NAT: thousands of subscribers share this address');
    await page.fill('form[data-form=review-request] input[name=contact]', 'holder@example.net');
    await page.click('form[data-form=review-request] button[type=submit]');
    await page.waitForSelector('[data-delisting-status=awaiting_review]', { timeout: STEP_MS });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/review-requested.png`, fullPage: true });

    const queue = await t.app.inject({ method: 'GET', url: '/v1/admin/delisting-requests?status=awaiting_review', headers: reviewer.headers });
    const request = (queue.json() as Array<{ id: string; ip: string; contact: string }>).find((r) => r.ip === ip);
    expect(request?.contact).toBe('holder@example.net');
    const decided = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/delisting-requests/${request?.id}/review`,
      headers: reviewer.headers,
      payload: { outcome: 'upheld', justification: 'Carrier-grade NAT range of a mobile operator' },
    });
    expect(decided.statusCode).toBe(200);
    await page.click('button[data-action=refresh]');
    await page.waitForSelector('[data-delisting-status=upheld]', { timeout: STEP_MS });
    await page.screenshot({ path: `${SHOTS}/review-upheld.png`, fullPage: true });
    await page.close();
  });

  it('starts a privacy request with the file to serve, and answers an access request once it is served', async () => {
    const ip = attackerIp();
    const page = await open(`/ip/${ip}`, 'form[data-form=privacy]');
    await page.selectOption('select[name=kind]', 'access');
    await page.click('form[data-form=privacy] button[type=submit]');
    await page.waitForSelector('button[data-action=verify-privacy]', { timeout: STEP_MS });
    const [url, token] = await page.$$eval('pre.copy', (nodes) => nodes.map((n) => n.textContent ?? ''));
    proofServer!.serve(new URL(url).pathname, token);
    await page.click('button[data-action=verify-privacy]');
    await page.waitForSelector('[data-privacy-status=completed]', { timeout: STEP_MS });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/privacy-access.png`, fullPage: true });
    await page.close();
  });
});
