import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the portal's browser tests keep their screenshots (test artefacts, printed at the end). */
export const PORTAL_SHOTS = resolve('test-output', 'customer-portal');
/** Bound of each wait in the browser (the machine is shared and busy). */
export const STEP_MS = 30_000;

const AXE_SOURCE = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run in the page: every serious or critical violation, by rule and target (empty when the
 * page passes). Evaluated through the DevTools protocol, since the portal's CSP (script-src 'self')
 * refuses an injected script tag; the source is evaluated again only when the page has no axe yet.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  // a string: this file is compiled without DOM typings
  const result = (await page.evaluate('window.axe.run(document)')) as { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Takes full-page screenshots under PORTAL_SHOTS and remembers their paths. */
export class Screenshots {
  readonly taken: string[] = [];

  constructor(private readonly dir = PORTAL_SHOTS) {
    mkdirSync(dir, { recursive: true });
  }

  async take(page: Page, name: string): Promise<string> {
    const path = join(this.dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true, timeout: STEP_MS });
    this.taken.push(path);
    return path;
  }

  /**
   * A portal page checked and kept: axe-core's serious and critical violations (returned, so the test
   * expects none), then the screenshot.
   */
  async check(page: Page, name: string): Promise<string[]> {
    const problems = await accessibilityProblems(page);
    await this.take(page, name);
    return problems;
  }

  /** Prints every screenshot's path (the test output names the artefacts). */
  print(title: string): void {
    process.stdout.write(`${title}: ${this.taken.length} screenshots\n${this.taken.map((p) => `  ${p}`).join('\n')}\n`);
  }
}

/**
 * The portal page at a hash route of the app (`#/keys`), from the base URL of the test app, loaded
 * afresh: going to the URL the page is at would not navigate (nor render it again).
 */
export async function open(page: Page, base: string, hash: string): Promise<void> {
  const url = `${base}/app/${hash}`;
  if (page.url() === url) await page.reload({ timeout: STEP_MS });
  else await page.goto(url, { timeout: STEP_MS });
}

/** The hash route of a portal link in an email (`…/app/#/verify-email?token=…`). */
export function hashOf(link: string): string {
  return new URL(link).hash;
}

/** The first portal link of an email's text. */
export function portalLink(text: string): string {
  const match = /https?:\/\/\S+\/app\/#\/\S+/.exec(text);
  if (!match) throw new Error(`no portal link in: ${text}`);
  return match[0];
}

/** Signs in through the page (and the TOTP step when a code is given). */
export async function signInThroughPage(page: Page, base: string, email: string, password: string, totp?: () => string): Promise<void> {
  await page.context().clearCookies();
  await open(page, base, '#/login');
  await page.fill('[data-form=login] input[name=email]', email, { timeout: STEP_MS });
  await page.fill('[data-form=login] input[name=password]', password);
  await page.click('[data-form=login] button[type=submit]');
  if (totp) {
    await page.waitForSelector('[data-form=login] input[name=totp_code]', { state: 'visible', timeout: STEP_MS });
    await page.fill('[data-form=login] input[name=totp_code]', totp());
    await page.click('[data-form=login] button[type=submit]');
  }
  await page.waitForSelector('#top:not([hidden])', { timeout: STEP_MS });
}
